package dlx.launcher.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report's pages: one template ({@code page.html}), each page its title, its name and the scripts it loads. */
enum ReportPage {
    INDEX("index.html", "Runs", "data/index.js", "assets/index-page.js"),
    RUN("run.html", "Run", "assets/run-page.js"),
    COMPARE("compare.html", "Compare", "data/index.js", "data/compare.js", "assets/compare-page.js"),
    ANSWERS("answers.html", "Answers", "data/answers.js", "assets/answers-page.js");

    static final String TEMPLATE = "page.html";

    private final String file;
    private final String title;
    private final List<String> scripts;

    ReportPage(String file, String title, String... scripts) {
        this.file = file;
        this.title = title;
        this.scripts = List.of(scripts);
    }

    String file() {
        return file;
    }

    /** The page's HTML from the template; every value is the launcher's own, so nothing needs escaping. */
    byte[] render(byte[] template) {
        String page = name().toLowerCase(Locale.ROOT);
        String tags = scripts.stream().map(s -> "<script src=\"" + s + "\"></script>\n").collect(Collectors.joining());
        return new String(template, StandardCharsets.UTF_8)
                .replace("{{title}}", title).replace("{{page}}", page).replace("{{scripts}}", tags)
                .getBytes(StandardCharsets.UTF_8);
    }
}
