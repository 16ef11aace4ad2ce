package io.tandem;

public final class Tandem {
    public static void main(String[] args) {
        System.out.println("tandem");
    }
}
