package io.tandem.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import io.tandem.agent.wire.CertificateFingerprint;

/**
 * {@code agent init}: creates the state directory of a new agent (TLS identity, access token, default
 * configuration). Every secret file is 0600 in a 0700 directory; the token itself is never stored.
 */
final class AgentInit {

    /**
     * @param pkcs12 an existing PKCS#12 (e.g. from the company CA) to use instead of a self-signed certificate
     * @param hosts further names the console may use to reach this agent (certificate SANs)
     * @param sudo the agent runs as an unprivileged user and reaches the tools through sudo (the packages' unit)
     */
    record Request(Path stateDir, Path pkcs12, Path pkcs12PasswordFile, List<String> hosts, boolean force, boolean sudo,
                   Node node) {
    }

    /**
     * What agent.yml says about this server, so an agent installed by the console starts with the NFO home, unit,
     * flow ports and port the console registered, with no editing afterwards. Null fields keep the defaults.
     */
    record Node(String nfoHome, String serviceUnit, List<Integer> flowPorts, Integer listenPort) {
        static final Node DEFAULTS = new Node(null, null, List.of(), null);

        Node {
            flowPorts = List.copyOf(flowPorts);
        }
    }

    record Result(Path stateDir, X509Certificate certificate, String fingerprint, String token) {
    }

    /** Thrown when init must not or cannot go on; the message is for the operator. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final SecureRandom random;
    private final Clock clock;

    AgentInit(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    Result create(Request request) throws Refused, IOException, GeneralSecurityException {
        Path dir = request.stateDir().toAbsolutePath().normalize();
        List<String> existing = new ArrayList<>();
        for (String name : List.of(AgentState.KEYSTORE, AgentState.KEYSTORE_PASSWORD, AgentState.TOKEN_HASH, AgentState.CONFIG)) {
            if (Files.exists(dir.resolve(name))) {
                existing.add(name);
            }
        }
        if (!existing.isEmpty() && !request.force()) {
            throw new Refused(dir + " already holds an agent (" + String.join(", ", existing) + "). "
                    + "Re-run with --force to replace it: the console will then see a new certificate and need the new token.");
        }

        char[] storePassword = secret(24).toCharArray();
        KeyStore keyStore = request.pkcs12() == null
                ? selfSigned(request.hosts(), storePassword)
                : imported(request.pkcs12(), request.pkcs12PasswordFile(), storePassword);
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate(AgentState.KEY_ALIAS);
        String token = AccessToken.mint(random);

        SecureFiles.privateDirectory(dir);
        ByteArrayOutputStream keyStoreBytes = new ByteArrayOutputStream();
        keyStore.store(keyStoreBytes, storePassword);
        SecureFiles.write(dir.resolve(AgentState.KEYSTORE_PASSWORD), (new String(storePassword) + "\n").getBytes(StandardCharsets.UTF_8));
        SecureFiles.write(dir.resolve(AgentState.KEYSTORE), keyStoreBytes.toByteArray());
        SecureFiles.write(dir.resolve(AgentState.TOKEN_HASH),
                (HexFormat.of().formatHex(AccessToken.hash(token)) + "\n").getBytes(StandardCharsets.US_ASCII));
        SecureFiles.write(dir.resolve(AgentState.CONFIG), defaultConfig(dir, request.sudo(), request.node()).getBytes(StandardCharsets.UTF_8));
        SecureFiles.touch(dir.resolve(AgentState.AUDIT_LOG));
        return new Result(dir, certificate, CertificateFingerprint.of(certificate), token);
    }

    static void print(Result result, PrintStream out) {
        X509Certificate cert = result.certificate();
        out.printf("""
                Tandem agent initialised in %s

                  certificate  %s
                  valid until  %s
                  fingerprint  %s

                When you add this node, the console shows the fingerprint the agent presents. Check that it is
                the one above before you confirm: from then on the console talks to this certificate only.

                Access token, shown this once (the agent keeps only its SHA-256 hash):

                  %s

                Paste it into the console's node form. If it is lost, run 'agent init --force' for a new one.
                Start the agent with:  java -jar tandem.jar agent --config %s

                token=%s
                fingerprint=%s
                """, result.stateDir(), cert.getSubjectX500Principal().getName(), cert.getNotAfter().toInstant(),
                result.fingerprint(), result.token(), result.stateDir().resolve(AgentState.CONFIG),
                result.token(), result.fingerprint());
    }

    private KeyStore selfSigned(List<String> hosts, char[] storePassword) throws GeneralSecurityException, IOException {
        SelfSignedCertificate generated = SelfSignedCertificate.create(LocalHost.name(), hosts, random, clock.instant());
        return keyStore(generated.keyPair().getPrivate(), new Certificate[] {generated.certificate()}, storePassword);
    }

    /** Takes the single key entry of the given PKCS#12 and stores it under our alias with our own password. */
    private KeyStore imported(Path pkcs12, Path passwordFile, char[] storePassword)
            throws Refused, IOException, GeneralSecurityException {
        if (passwordFile == null) {
            throw new Refused("--pkcs12 needs --pkcs12-password-file (a file, so the password stays out of the process list)");
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            source.load(in, password);
        } catch (IOException e) {
            throw new Refused("cannot open " + pkcs12 + " with the given password (" + e.getMessage() + ")");
        }
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(source.aliases())) {
            if (source.isKeyEntry(alias)) {
                keyAliases.add(alias);
            }
        }
        if (keyAliases.size() != 1) {
            throw new Refused(pkcs12 + " must hold exactly one private key, it holds " + keyAliases.size()
                    + (keyAliases.isEmpty() ? "" : " " + keyAliases));
        }
        String alias = keyAliases.get(0);
        Key key = source.getKey(alias, password);
        Certificate[] chain = source.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                || !(chain[0] instanceof X509Certificate)) {
            throw new Refused(pkcs12 + ": entry '" + alias + "' is not a private key with an X.509 certificate");
        }
        return keyStore(privateKey, chain, storePassword);
    }

    private static KeyStore keyStore(PrivateKey key, Certificate[] chain, char[] password)
            throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(AgentState.KEY_ALIAS, key, password, chain);
        return keyStore;
    }

    private String secret(int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Every key with its default value and why it is there; the file works unchanged. */
    static String defaultConfig(Path stateDir, boolean sudo) {
        return defaultConfig(stateDir, sudo, Node.DEFAULTS);
    }

    static String defaultConfig(Path stateDir, boolean sudo, Node node) {
        return """
                # Tandem agent configuration. Every key below shows its default; change what differs on this server.
                # Start:  java -jar tandem.jar agent --config %s

                listen:
                  address: 0.0.0.0        # the HTTPS listener; 127.0.0.1 when the console runs on this server
                  port: %s              # --port on the command line overrides this

                # Keystore, token hash and audit log, written by 'agent init'. Keep it 0700, owned by the agent's user.
                state-dir: %s

                nfo:
                  home: %s
                  service-unit: %s     # NFO's systemd unit; check with: systemctl list-units | grep -i nfo
                  config:
                    # The files that make up NFO's configuration, as globs relative to nfo.home.
                    include: ["server/etc/**", "tomcat/conf/**"]
                    # Never reported or copied: the GUI's TLS key and files that change on their own.
                    exclude: ["tomcat/conf/.tomcat_keystore", "**/*.log", "**/*.tmp"]
                  flow-input-ports: [%s]      # UDP ports NFO receives NetFlow/IPFIX on

                tools:
                  sudo: %s             # true: run tools as 'sudo -n <tool>' (agent as an unprivileged user + sudoers rule)
                  paths:                  # absolute paths, so PATH cannot swap a tool
                    systemctl: /usr/bin/systemctl
                    nft: /usr/sbin/nft
                    crm_mon: /usr/sbin/crm_mon
                    cibadmin: /usr/sbin/cibadmin
                    pcs: /usr/sbin/pcs
                    crm_simulate: /usr/sbin/crm_simulate
                    drbdadm: /usr/sbin/drbdadm
                    drbdsetup: /usr/sbin/drbdsetup
                    tcpdump: /usr/bin/tcpdump
                    sudo: /usr/bin/sudo

                capture:
                  # Where the agent sees the NetFlow NFO receives, to learn which templates this node holds:
                  # tcpdump (on the flow input ports; needs root or CAP_NET_RAW), mirror (a packet broker sends
                  # copies to mirror-address:mirror-port), or none.
                  source: tcpdump
                  mirror-address: 127.0.0.1
                  mirror-port: 9995
                  save-seconds: 60        # the template cache is saved this often, so a restart does not forget

                limits:
                  max-upload-bytes: 67108864        # largest request body (a configuration bundle); 413 above it
                  max-file-read-bytes: 16777216     # largest single file the agent returns
                  max-requests-per-second: 50       # per client address; 0 turns the limit off

                events:
                  heartbeat-seconds: 15   # an idle event stream carries a comment this often
                  replay-buffer: 1000     # recent events a reconnecting console can resume from (Last-Event-ID)
                  client-queue: 256       # events queued for one slow subscriber before it is dropped
                  max-subscribers: 8      # concurrent event streams
                  watch-millis: 500       # how often the node is read for changes to push (bounds the console's freshness)
                """.formatted(stateDir.resolve(AgentState.CONFIG),
                node.listenPort() == null ? "7443" : node.listenPort().toString(),
                yamlQuoted(stateDir.toString()),
                node.nfoHome() == null ? "/opt/flowintegrator" : yamlQuoted(node.nfoHome()),
                node.serviceUnit() == null ? "nfo.service" : yamlQuoted(node.serviceUnit()),
                node.flowPorts().isEmpty() ? "9555" : String.join(", ", node.flowPorts().stream().map(String::valueOf).toList()),
                sudo ? "true " : "false");
    }

    /** Single-quoted YAML scalar: a path with '#', ': ' or spaces stays one value. */
    private static String yamlQuoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
