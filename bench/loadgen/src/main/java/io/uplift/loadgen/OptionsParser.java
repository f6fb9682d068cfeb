package io.uplift.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the command line into {@link Options}, refusing each bad value with the flag and the fix. */
public final class OptionsParser {
    public static final String USAGE = """
            Usage: java -jar uplift-loadgen.jar --url http://127.0.0.1:PORT[,http://127.0.0.1:PORT2...] --token-file FILE
                     [--url http://127.0.0.1:PORT3 ...] [--rate N] [--write-share S] [--workers N] [--duration D] [--until-file PATH]
                     [--report FILE.json] [--verify-deadline D] [--balance] [--quiet]
              --url              Lockbox's base URL; loopback only (127.0.0.1 or localhost). For a cluster, every
                                 node's: repeat --url or give a comma list; requests go round-robin over the
                                 nodes and the summary adds one line per node
              --token-file       file holding the app token (first line); the token is never a flag
              --rate             requests per second, open loop (default 50)
              --write-share      share of writes in the mix, 0 to 1 (default 0.2)
              --workers          size of the worker pool (default 16); slots finding all busy are skipped
              --duration         stop after D, e.g. 90s, 5m, 1500ms (default 60s unless --until-file)
              --until-file       stop when PATH exists (with --duration: whichever comes first)
              --report           also write the report as JSON to this file
              --verify-deadline  how long the final read-back waits for the service (default 120s)
              --balance          act as a load balancer: a request a node refuses before acting on it (connection
                                 refused, 503; a read also after a broken connection or timeout) goes to the next
                                 node; failures count after rerouting, each node's windows keep its refusals
              --quiet            print nothing but the summary
            Exit: 0 every acknowledged write read back equal, 1 otherwise, 2 bad usage.""";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    private OptionsParser() {
    }

    public static Options parse(String... args) throws UsageException {
        List<URI> urls = new ArrayList<>();
        Path tokenFile = null;
        int rate = 50;
        double writeShare = 0.2;
        int workers = 16;
        Duration duration = null;
        Path untilFile = null;
        Path report = null;
        boolean quiet = false;
        boolean balance = false;
        Duration verifyDeadline = Duration.ofSeconds(120);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--quiet" -> quiet = true;
                case "--balance" -> balance = true;
                case "--url" -> addUrls(urls, value(args, ++i, flag));
                case "--token-file" -> tokenFile = Path.of(value(args, ++i, flag));
                case "--rate" -> rate = positiveInt(value(args, ++i, flag), flag, 10_000);
                case "--workers" -> workers = positiveInt(value(args, ++i, flag), flag, 1_000);
                case "--write-share" -> writeShare = share(value(args, ++i, flag));
                case "--duration" -> duration = duration(value(args, ++i, flag), flag);
                case "--until-file" -> untilFile = Path.of(value(args, ++i, flag));
                case "--report" -> report = Path.of(value(args, ++i, flag));
                case "--verify-deadline" -> verifyDeadline = duration(value(args, ++i, flag), flag);
                default -> throw new UsageException("unknown argument '" + flag + "': see --help for the flags");
            }
        }
        if (urls.isEmpty()) {
            throw new UsageException("--url is missing: give Lockbox's address, e.g. --url http://127.0.0.1:8080");
        }
        if (tokenFile == null) {
            throw new UsageException("--token-file is missing: give a file whose first line is a Lockbox app token");
        }
        if (duration == null && untilFile == null) {
            duration = Duration.ofSeconds(60);
        }
        return new Options(urls, readToken(tokenFile), rate, writeShare, workers, duration, untilFile, report, quiet,
                verifyDeadline, balance);
    }

    private static String value(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(flag + " needs a value: see --help");
        }
        return args[i];
    }

    /** One --url value: a URL or a comma list of them; a node named twice would get twice its share, so it is refused. */
    static void addUrls(List<URI> urls, String value) throws UsageException {
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new UsageException("--url '" + value + "' has an empty entry: separate the nodes' URLs with single commas,"
                        + " e.g. http://127.0.0.1:8080,http://127.0.0.1:8081");
            }
            URI url = loopbackUrl(part.strip());
            if (urls.contains(url)) {
                throw new UsageException("--url " + url + " is given twice: name each node once");
            }
            urls.add(url);
        }
    }

    static URI loopbackUrl(String text) throws UsageException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("--url '" + text + "' is not a URL: give e.g. http://127.0.0.1:8080");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new UsageException("--url '" + text + "' is not http://: Lockbox listens on plain HTTP on loopback,"
                    + " give e.g. http://127.0.0.1:8080");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new UsageException("--url host '" + host + "' is not loopback: the load generator only drives a"
                    + " Lockbox on this machine, give http://127.0.0.1:PORT or http://localhost:PORT");
        }
        if (uri.getPort() < 1) {
            throw new UsageException("--url '" + text + "' has no port: give the port Lockbox listens on,"
                    + " e.g. http://127.0.0.1:8080");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null) {
            throw new UsageException("--url '" + text + "' has a path or query: give only scheme, host and port");
        }
        return URI.create("http://" + host + ":" + uri.getPort() + "/");
    }

    private static String readToken(Path file) throws UsageException {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--token-file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): give a readable file whose first line is a Lockbox app token");
        }
        String token = content.lines().findFirst().orElse("").strip();
        if (token.isEmpty()) {
            throw new UsageException("--token-file " + file + " is empty: put a Lockbox app token on its first line");
        }
        return token;
    }

    private static int positiveInt(String text, String flag, int max) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UsageException(flag + " '" + text + "' is not a whole number from 1 to " + max);
    }

    private static double share(String text) throws UsageException {
        try {
            double share = Double.parseDouble(text);
            if (share >= 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UsageException("--write-share '" + text + "' is not a number from 0 to 1 (e.g. 0.2 for 20% writes)");
    }

    static Duration duration(String text, String flag) throws UsageException {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException(flag + " '" + text + "' is not a duration: give e.g. 90s, 5m or 1500ms");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new UsageException(flag + " '" + text + "' is zero: give a positive duration, e.g. 60s");
        }
        return d;
    }
}
