package io.tandem.agent;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The agent's own TLS identity: an EC P-256 key and a self-signed server certificate. Nobody has to trust
 * an issuer, because the console pins this exact certificate by its fingerprint.
 */
record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {

    static final Duration VALIDITY = Duration.ofDays(3653);
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]{0,252})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * @param hostName the server's name, also the subject's common name
     * @param extraNames further DNS names or IP addresses the console may use to reach this agent
     */
    static SelfSignedCertificate create(String hostName, List<String> extraNames, SecureRandom random, Instant now)
            throws GeneralSecurityException {
        Set<String> names = new LinkedHashSet<>();
        names.add(hostName);
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        names.addAll(extraNames);
        for (String name : names) {
            if (!isIpAddress(name) && !DNS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a DNS name or IP address: " + ConfigReader.quote(name));
            }
        }

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair keyPair = generator.generateKeyPair();

        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, hostName)
                .addRDN(BCStyle.O, "Tandem agent")
                .build();
        // Positive 127-bit serial: unique without a registry, as RFC 5280 asks of self-issued certificates too.
        BigInteger serial = new BigInteger(127, random);
        // Backdated an hour so a console whose clock runs a little behind still accepts the validity period.
        Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
        Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());

        List<GeneralName> altNames = new ArrayList<>();
        for (String name : names) {
            altNames.add(new GeneralName(isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, notBefore, notAfter, subject, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(altNames.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new SelfSignedCertificate(keyPair, certificate);
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the certificate: " + e.getMessage(), e);
        }
    }

    static boolean isIpAddress(String name) {
        return IPV4.matcher(name).matches() || (name.contains(":") && name.matches("[0-9A-Fa-f:.]+"));
    }
}
