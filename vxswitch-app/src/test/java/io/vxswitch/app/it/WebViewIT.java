package io.vxswitch.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live web view in a real browser (Debian's chromium, headless, through chromedriver): load the page of a daemon
 * running in a test namespace, see a nested VM's MAC appear in the MAC table after it pings, filter the table, and
 * run a trace from the form. The browser reaches the namespace's loopback through a {@link NetnsRelay}.
 * <pre>
 *   [vm1 10.0.0.1]--tap vm1--+
 *   [vm2 10.0.0.2]--tap vm2--+-- vxswitch (namespace host): vlan119 (VDS defaults), nested (learning)
 *   [nested VM 10.0.0.3 52:54:00:00:00:03]--tap nested--+         API 127.0.0.1:7739 <- relay <- chromium
 * </pre>
 */
@Timeout(180)
class WebViewIT extends LabIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String NESTED_MAC = "52:54:00:00:00:03";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private NetnsRelay relay;
    private WebDriver browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void the_page_shows_a_mac_after_a_ping_and_runs_a_trace() throws IOException {
        assertThat(new File(CHROMIUM)).as("chromium (apt install chromium chromium-driver, as .ci/run does)").exists();
        assertThat(new File(CHROMEDRIVER)).as("chromedriver (apt install chromium-driver)").exists();
        String yaml = """
            switch: {name: esxi-web}
            portGroups:
              - {name: vlan119, vlan: 119}
              - {name: nested, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true, limit: 64}}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mac: "02:00:00:00:01:01"}
              - {name: vm2, type: tap, portGroup: vlan119, mac: "02:00:00:00:01:02"}
              - {name: nested, type: tap, portGroup: nested}
            """;
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, yaml);
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:01:01");
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:01:02");
        Netns nested = lab.vmOnTap("nested", host, "nested", "10.0.0.3/24", NESTED_MAC);
        relay = new NetnsRelay(host, 7739);
        String base = "http://127.0.0.1:" + relay.port();
        browser = chromium();

        browser.get(base + "/");
        assertThat(browser.getPageSource()).as("without the token").contains("needs the switch's API token")
            .contains(daemon.tokenFile().toString());
        browser.get(base + "/?token=" + Files.readString(daemon.tokenFile()).trim());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        // The page redraws its tables on every snapshot: an element found a moment ago may be gone when read.
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
        assertThat(browser.findElement(By.id("switch-name")).getText()).isEqualTo("esxi-web");
        assertThat(browser.findElements(By.cssSelector("table.ports[data-port-group='nested'] tr[data-port='nested']")))
            .hasSize(1);
        assertThat(browser.findElement(By.id("port-groups")).getText())
            .contains("MAC learning on, limit 64 (drop)").contains("forged transmits accept");
        By nestedRow = By.cssSelector("#fdb-table tr[data-mac='" + NESTED_MAC + "']");
        assertThat(browser.findElements(nestedRow)).as("not learned before it sends").isEmpty();

        Ping p = nested.ping("10.0.0.1");
        assertThat(p.allAnsweredOnce()).as(p + lab.diagnostics()).isTrue();
        String row = wait.until(d -> d.findElement(nestedRow).getText()); // read in the wait: a redraw may come
        assertThat(row).contains("nested").contains("119").contains("learned");

        browser.findElement(By.id("filter-mac")).sendKeys("52:54");
        wait.until(d -> d.findElements(By.cssSelector("#fdb-table tbody tr")).size() == 1);
        String count = wait.until(d -> d.findElement(By.id("fdb-count")).getText());
        assertThat(count).startsWith("1 of ");

        new Select(browser.findElement(By.id("trace-port"))).selectByValue("vm1");
        browser.findElement(By.id("trace-src")).sendKeys("02:00:00:00:01:01");
        WebElement dst = browser.findElement(By.id("trace-dst"));
        dst.clear();
        dst.sendKeys(NESTED_MAC);
        browser.findElement(By.id("trace-run")).click();
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
            "#trace-result .result")));
        assertThat(result.getText()).isEqualTo("Result: forward to nested");
        List<WebElement> steps = browser.findElements(By.cssSelector("#trace-result li"));
        assertThat(steps).extracting(WebElement::getText).anyMatch(s -> s.contains(NESTED_MAC + " VLAN 119 is on port nested"));

        // counters and sparklines follow the traffic, snapshot by snapshot
        vm1.ping("10.0.0.2");
        By vm2Received = By.cssSelector("table.ports tr[data-port='vm2'] td:nth-child(5)");
        wait.until(d -> Long.parseLong(d.findElement(vm2Received).getText()) >= 3);
        assertThat(browser.findElements(By.cssSelector("tr[data-port='vm2'] svg.spark polyline"))).hasSize(1);
        browser.findElement(By.id("filter-mac")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        wait.until(d -> d.findElements(By.cssSelector("#fdb-table tbody tr")).size() == 3);
        Path shot = Path.of("target", "web-view.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        aPageOfAnotherOriginCanNeitherReadNorChangeTheSwitch(daemon, base);
        assertThat(daemon.output()).doesNotContain("Exception");
    }

    /**
     * The same browser, holding the web view's cookie, opens a page served from another port of the same host: the
     * same site, so a {@code SameSite=Strict} cookie goes with its requests. Its script tries to read the MAC table
     * and to flush it (a no-cors POST, as a form would send it). The read fails in the browser (no CORS), the flush
     * reaches the switch and is refused (its Origin), and the nested VM's MAC is still in the table.
     */
    private void aPageOfAnotherOriginCanNeitherReadNorChangeTheSwitch(Daemon daemon, String base) throws IOException {
        String page = """
            <!doctype html><meta charset=utf-8><title>elsewhere</title><pre id=result>running</pre>
            <script>
            const api = '%s';
            const out = [];
            async function attempt(name, f) {
              try { out.push(name + ': ' + await f()); } catch (e) { out.push(name + ': blocked (' + e.name + ')'); }
            }
            (async () => {
              await attempt('read', async () => {
                const r = await fetch(api + '/api/v1/fdb', {credentials: 'include'});
                return 'status ' + r.status + ', ' + (await r.text()).length + ' bytes';
              });
              await attempt('flush', async () => {
                const r = await fetch(api + '/api/v1/fdb/flush', {method: 'POST', credentials: 'include',
                                                                  mode: 'no-cors'});
                return 'sent (' + r.type + ')';
              });
              document.getElementById('result').textContent = out.join('\\n');
            })();
            </script>
            """.formatted(base);
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elsewhere.start();
        try {
            browser.get("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/elsewhere.html");
            String result = new WebDriverWait(browser, WAIT).until(d -> {
                String text = d.findElement(By.id("result")).getText();
                return text.equals("running") ? null : text;
            });
            assertThat(result).as("what the other origin's script got")
                .contains("read: blocked (TypeError)").contains("flush: sent (opaque)");
        } finally {
            elsewhere.stop(0);
        }
        assertThat(daemon.cli("fdb", "show")).as("the flush was refused").contains(NESTED_MAC);
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
