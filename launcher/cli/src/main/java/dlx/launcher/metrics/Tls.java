package dlx.launcher.metrics;

import dlx.launcher.UsageException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An {@link SSLContext} from a PEM certificate chain and a PEM PKCS#8 private key (RSA or EC), as exporters take them. */
final class Tls {
    private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private Tls() { }

    static SSLContext context(Path certFile, Path keyFile) {
        try {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)));
            if (chain.isEmpty()) {
                throw new UsageException("--web-config: " + certFile + " holds no PEM certificate");
            }
            Matcher m = KEY.matcher(Files.readString(keyFile));
            if (!m.find()) {
                throw new UsageException("--web-config: " + keyFile + " holds no PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----;"
                        + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            PrivateKey key = null;
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    break;
                } catch (java.security.spec.InvalidKeySpecException e) {
                    // try the next algorithm
                }
            }
            if (key == null) {
                throw new UsageException("--web-config: " + keyFile + " is not an RSA, EC or Ed25519 key");
            }
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("dlx", key, none, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new UsageException("--web-config: cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage());
        }
    }
}
