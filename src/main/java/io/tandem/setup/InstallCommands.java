package io.tandem.setup;

import java.util.Locale;
import java.util.Map;

/** The command that installs a missing tool, in the words of the node's OS family (from /etc/os-release). */
final class InstallCommands {

    enum Family { DEBIAN, RHEL, SUSE, UNKNOWN }

    private InstallCommands() {
    }

    static Family family(Map<String, String> os) {
        String ids = (os.getOrDefault("ID", "") + " " + os.getOrDefault("ID_LIKE", "")).toLowerCase(Locale.ROOT);
        if (ids.matches(".*\\b(debian|ubuntu)\\b.*")) {
            return Family.DEBIAN;
        }
        if (ids.matches(".*\\b(rhel|fedora|centos|rocky|almalinux)\\b.*")) {
            return Family.RHEL;
        }
        if (ids.matches(".*\\b(suse|sles|opensuse)\\b.*")) {
            return Family.SUSE;
        }
        return Family.UNKNOWN;
    }

    /** The package that brings {@code tool} on that family. */
    static String packageFor(String tool, Family family) {
        return switch (tool) {
            case "pacemakerd" -> "pacemaker";
            case "crm_simulate" -> family == Family.DEBIAN ? "pacemaker-cli-utils" : "pacemaker-cli";
            case "nft" -> "nftables";
            case "drbdadm" -> "drbd-utils";
            default -> tool;
        };
    }

    static String install(String tool, Family family) {
        String pkg = packageFor(tool, family);
        return switch (family) {
            case DEBIAN -> "apt-get install -y " + pkg;
            case RHEL -> "dnf install -y " + pkg + (tool.equals("pcs") || tool.equals("pacemakerd") || tool.equals("corosync")
                    ? " (from the HighAvailability repository: dnf config-manager --set-enabled highavailability)" : "");
            case SUSE -> "zypper install -y " + pkg;
            case UNKNOWN -> "install the package providing " + tool + " (" + pkg + ")";
        };
    }
}
