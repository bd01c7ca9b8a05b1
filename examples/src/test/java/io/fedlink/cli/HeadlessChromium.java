package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, Java's own
 * {@link WebSocket}; no driver, no framework): open a page, evaluate JavaScript in it, collect what it
 * logs as errors, take screenshots. Chromium is Debian's {@code chromium}, which
 * {@code scripts/install-chromium.sh} installs when it is missing; a test that needs it and cannot get it fails, saying so.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /**
     * The Chromium binary: $FEDLINK_CHROMIUM, or chromium (Debian), chromium-browser, google-chrome on
     * the PATH; when there is none, the project's {@code scripts/install-chromium.sh} installs Debian's
     * (once per JVM), so the README's test command needs nothing installed by hand.
     */
    static synchronized Path binary() {
        final Path found = find();
        if (found != null) {
            return found;
        }
        if (!installTried) {
            installTried = true;
            install();
            final Path installed = find();
            if (installed != null) {
                return installed;
            }
        }
        fail("the dashboard's browser tests need a headless Chromium, and none was found (chromium, "
                + "chromium-browser or google-chrome on the PATH, or $FEDLINK_CHROMIUM), and scripts/install-chromium.sh "
                + "could not install one (see its lines above): `apt-get install -y chromium` as root does it");
        throw new AssertionError();
    }

    private static boolean installTried;

    /** Runs scripts/install-chromium.sh from the project's root (the tests run in examples/). */
    private static void install() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("scripts/install-chromium.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return;
        }
        try {
            final Process script = new ProcessBuilder("bash", dir.resolve("scripts/install-chromium.sh").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!script.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
                script.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("scripts/install-chromium.sh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path find() {
        final String given = System.getenv("FEDLINK_CHROMIUM");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                final Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Starts Chromium with a fresh profile in {@code profile} and attaches to its blank page. */
    static HeadlessChromium launch(Path profile) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        final List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless=new",
                "--remote-debugging-port=0", "--user-data-dir=" + profile.toAbsolutePath(), "--no-first-run",
                "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--mute-audio",
                "--window-size=1280,1100", "about:blank"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add(1, "--no-sandbox");                        // Chromium refuses to run as root with it
        }
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            final Path portFile = profile.resolve("DevToolsActivePort");
            final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("Chromium did not start (" + (process.isAlive() ? "no DevTools port within "
                            + START_TIMEOUT : "exit status " + process.exitValue()) + "); its log:\n"
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            final int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            final HttpClient http = HttpClient.newHttpClient();
            String page = null;
            while (page == null) {
                final JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if ("page".equals(t.path("type").asText())) {
                        page = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (page == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("Chromium opened no page within " + START_TIMEOUT);
                    }
                    Thread.sleep(50);
                }
            }
            final Listener listener = new Listener();
            final WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), listener)
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            final HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
            listener.owner = chromium;
            chromium.call("Runtime.enable", Map.of());
            chromium.call("Log.enable", Map.of());
            chromium.call("Page.enable", Map.of());
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("cannot attach to Chromium's page: " + e, e);
        }
    }

    /** Opens {@code url} and waits for its load event. */
    void navigate(String url) {
        loaded = new CompletableFuture<>();
        call("Page.navigate", Map.of("url", url));
        try {
            loaded.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(url + " did not load within " + CALL_TIMEOUT + ": " + e);
        }
    }

    /** Evaluates a JavaScript expression in the page (promises awaited) and returns its value as JSON. */
    JsonNode evaluate(String expression) {
        final JsonNode reply = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (reply.has("exceptionDetails")) {
            throw new AssertionError("JavaScript `" + expression + "` threw: " + reply.path("exceptionDetails"));
        }
        return reply.path("result").path("value");
    }

    /**
     * Evaluates {@code expression} every 100 ms until {@code until} holds (a liveness bound, not a clock:
     * the condition is the signal) and returns that value.
     */
    JsonNode await(String expression, Predicate<JsonNode> until, Duration timeout, String what) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = evaluate(expression);
        while (!until.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not seen within " + timeout + "; `" + expression + "` is " + value
                        + "; page errors: " + errors());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
            value = evaluate(expression);
        }
        return value;
    }

    /** Forgets the errors logged so far (a new page is about to be opened). */
    synchronized void clearErrors() {
        errors.clear();
    }

    /** What the page logged as errors: console.error, uncaught exceptions, failed loads. */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** Saves a PNG of the whole page. */
    void screenshot(Path file) throws IOException {
        final JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private JsonNode call(String method, Map<String, Object> params) {
        final int id = ids.incrementAndGet();
        final CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        final ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        try {
            synchronized (socket) {
                socket.sendText(message.toString(), true).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            final JsonNode answer = reply.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.has("error")) {
                throw new AssertionError("DevTools " + method + " failed: " + answer.path("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during DevTools " + method);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("DevTools " + method + " did not answer within " + CALL_TIMEOUT + ": " + e);
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(JsonNode message) {
        if (message.has("id")) {
            final CompletableFuture<JsonNode> reply = pending.get(message.path("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        final JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error") || params.path("type").asText().equals("assert")) {
                    error("console." + params.path("type").asText() + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> error("uncaught: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    error(params.path("entry").path("text").asText() + " " + params.path("entry").path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    private synchronized void error(String text) {
        errors.add(text);
    }

    /** Collects each message's fragments and hands the whole message on. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                final String whole = text.toString();
                text.setLength(0);
                try {
                    if (owner != null) {
                        owner.onMessage(JSON.readTree(whole));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The browser goes below either way.
        }
        final List<ProcessHandle> children = process.descendants().toList();   // renderers, zygotes, GPU
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
