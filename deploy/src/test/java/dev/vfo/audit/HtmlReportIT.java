package dev.vfo.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vfo.audit.render.HtmlReport;
import dev.vfo.core.vfio.MigrationState;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report of a real run in headless Chromium and checks the screenshot: one
 * horizontal band of state colors per device lane, and the states the migration went through.
 * Without Chromium the test fails under CI=true and is skipped elsewhere.
 */
class HtmlReportIT {

    @Test
    void theScreenshotShowsOneSwimlanePerDevice() throws Exception {
        Path chromium = chromium();
        SimLogs.Vm vm = null;
        for (long seed = 1; seed < 400 && vm == null; seed++) {
            SimLogs.Vm candidate = SimLogs.of(seed);
            long devices = candidate.recording().log().stream()
                    .filter(e -> e instanceof dev.vfo.core.saga.SagaEvent.PlanAccepted)
                    .mapToLong(e -> ((dev.vfo.core.saga.SagaEvent.PlanAccepted) e).plan().devices().size()).sum();
            if (candidate.recording().result().outcome().equals("COMPLETED") && devices >= 2 && devices <= 4) {
                vm = candidate;
            }
        }
        assertThat(vm).isNotNull();
        AuditReport report = SimLogs.audit(SimLogs.records(vm), SimLogs.LATER);
        assertThat(report.ok()).isTrue();
        MigrationReport m = report.migrations().get(0);
        Path dir = Paths.get("target", "audit-html").toAbsolutePath();
        Files.createDirectories(dir);
        Path html = dir.resolve("report.html");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(html, StandardCharsets.UTF_8))) {
            HtmlReport.write(report, out);
        }
        Path png = dir.resolve("report.png");
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("vfo-chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
                "--window-size=1400,900", html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).exists();
        BufferedImage img = ImageIO.read(png.toFile());

        // Rows of the plot area that are mostly state color: consecutive ones form one lane.
        List<int[]> lanes = new ArrayList<>();
        Set<MigrationState> seen = EnumSet.noneOf(MigrationState.class);
        int start = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            int colored = 0;
            for (int x = 240; x < Math.min(img.getWidth(), 1270); x++) {
                Optional<MigrationState> s = state(img.getRGB(x, y));
                if (s.isPresent()) {
                    colored++;
                    seen.add(s.get());
                }
            }
            boolean lane = colored > 200;
            if (lane && start < 0) {
                start = y;
            } else if (!lane && start >= 0) {
                if (y - start >= 12) {
                    lanes.add(new int[] {start, y});
                }
                start = -1;
            }
        }
        System.out.println("lanes in the screenshot: " + lanes.size() + " (expected " + m.lanes().size() + "), states: "
                + seen + ", png: " + png);
        assertThat(lanes).hasSize(m.lanes().size());
        // Lanes are evenly spaced, one per device.
        for (int i = 1; i < lanes.size(); i++) {
            assertThat(lanes.get(i)[0] - lanes.get(i - 1)[0]).isBetween(25, 40);
        }
        Set<MigrationState> expected = EnumSet.noneOf(MigrationState.class);
        m.lanes().forEach(l -> l.bands().forEach(b -> expected.add(b.state())));
        assertThat(seen).contains(MigrationState.RUNNING, MigrationState.RESUMING, MigrationState.STOP);
        assertThat(seen.size()).isGreaterThanOrEqualTo(Math.min(4, expected.size()));
    }

    private static Optional<MigrationState> state(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        for (Map.Entry<MigrationState, String> e : HtmlReport.COLORS.entrySet()) {
            int c = Integer.parseInt(e.getValue().substring(1), 16);
            if (Math.abs(r - ((c >> 16) & 0xff)) <= 6 && Math.abs(g - ((c >> 8) & 0xff)) <= 6
                    && Math.abs(b - (c & 0xff)) <= 6) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static Path chromium() throws IOException {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Paths.get(d, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String why = "no chromium on PATH (apt-get install -y chromium)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IOException(why);
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }
}
