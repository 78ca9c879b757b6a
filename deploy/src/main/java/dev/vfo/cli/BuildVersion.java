package dev.vfo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The project version, read from {@code vfo.properties}, which Maven filters from the pom at
 * build time. A resource rather than the jar manifest, so the version is the same when the
 * classes run from {@code target/classes} (tests, IDE) as from the fat jar.
 */
final class BuildVersion implements IVersionProvider {

    static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("vfo.properties")) {
            if (in == null) {
                throw new IllegalStateException("vfo.properties is missing from the classpath; the build is broken");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "vfo " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
