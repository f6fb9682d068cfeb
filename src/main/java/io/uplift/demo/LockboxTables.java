package io.uplift.demo;

import com.google.crypto.tink.Aead;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import io.uplift.demo.RowSource.RowWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The rows of a Lockbox 1.0 database, table by table, as COPY text. Each table draws from its own
 * random stream seeded from the generator's seed, so a table's contents depend only on the seed and
 * the event count. Ids are 1..count in every table. Times are fixed, never "now".
 */
final class LockboxTables {
    static final long THREATS = 50;
    static final long APP_TOKENS = 20;

    private static final long BASE_MICROS = 1_672_531_200_000_000L; // 2023-01-01T00:00:00Z
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Dennis", "Donald", "Edsger",
        "Frances", "Grace", "Guido", "Hedy", "John", "Ken", "Linus", "Margaret", "Niklaus", "Radia", "Rob",
        "Shafi", "Tim"};
    private static final String[] LAST = {"Allen", "Backus", "Cerf", "Dijkstra", "Hamilton", "Hopper", "Kahn",
        "Knuth", "Lamarr", "Liskov", "Lovelace", "McCarthy", "Perlman", "Pike", "Ritchie", "Shannon",
        "Thompson", "Torvalds", "Turing", "Wirth"};
    private static final String[] ENVIRONMENTS = {"prod", "staging", "dev", "ci"};
    private static final String[] SECRET_KINDS = {"db-password", "api-key", "tls-key", "ssh-key", "webhook-secret"};
    private static final String[] THREAT_CATEGORIES = {"malware", "phishing", "brute-force", "exfiltration", "policy", ""};
    private static final String[] THREAT_WORDS = {"beacon", "dropper", "spray", "lure", "tunnel", "stuffing",
        "ransom", "scanner", "keylogger", "upload"};
    private static final String[] LEVELS = {"low", "medium", "high", "critical"};
    private static final String[] TOKEN_PURPOSES = {"ci-deploy", "backup", "monitoring", "sync", "reporting"};
    private static final String[] SCOPES = {"secrets:read", "secrets:write", "events:read", "admin"};
    private static final String[] AGENTS = {"lockbox-web/1.0", "lockbox-cli/1.0", "terraform/1.5", "curl/8.1"};
    private static final String[] KINDS_BY_PERCENT = kindsByPercent();
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final long events;
    private final long seed;
    private final long users;
    private final long secrets;
    private final ThreatLinks links;

    LockboxTables(long events, long seed) {
        this.events = events;
        this.seed = seed;
        this.users = Math.max(10, events / 1000);
        this.secrets = Math.max(20, events / 100);
        this.links = new ThreatLinks(seed, THREATS);
    }

    long userCount() {
        return users;
    }

    long secretCount() {
        return secrets;
    }

    long eventThreatCount() {
        return links.total(events);
    }

    /** Columns: id, name, email, created_at. */
    RowWriter users() {
        SplittableRandom random = random(1);
        long[] id = {0};
        return out -> {
            if (id[0] == users) {
                return false;
            }
            long userId = ++id[0];
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            out.number(userId).text(first + " " + last)
                    .text(first.toLowerCase() + "." + last.toLowerCase() + "." + userId + "@example.com")
                    .timestamp(BASE_MICROS - 400 * DAY_MICROS + random.nextLong(365 * DAY_MICROS));
            return true;
        };
    }

    /** Columns: id, name, level. Names start with their category, as the 2.0 taxonomy task expects. */
    RowWriter threats() {
        SplittableRandom random = random(2);
        long[] id = {0};
        return out -> {
            if (id[0] == THREATS) {
                return false;
            }
            long threatId = ++id[0];
            String category = THREAT_CATEGORIES[(int) ((threatId - 1) % THREAT_CATEGORIES.length)];
            String word = THREAT_WORDS[random.nextInt(THREAT_WORDS.length)];
            out.number(threatId).text((category.isEmpty() ? "" : category + "/") + word + "-" + threatId)
                    .text(LEVELS[random.nextInt(LEVELS.length)]);
            return true;
        };
    }

    /**
     * Columns: id, name, value, key_id, owner_id, created_at. The value is the AEAD ciphertext of the
     * plaintext drawn here, with the secret's id as associated data ({@link LockboxSecrets}).
     */
    RowWriter secrets(Aead aead, long keyId) {
        SplittableRandom random = random(3);
        long[] id = {0};
        return out -> {
            if (id[0] == secrets) {
                return false;
            }
            long secretId = ++id[0];
            String name = ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)] + "/"
                    + SECRET_KINDS[random.nextInt(SECRET_KINDS.length)] + "-" + secretId;
            String plaintext = "lbx-" + base62(random, 24);
            long owner = 1 + random.nextLong(users);
            long createdAt = BASE_MICROS - random.nextLong(300 * DAY_MICROS);
            out.number(secretId).text(name).bytea(encrypt(aead, plaintext, secretId))
                    .number(keyId).number(owner).timestamp(createdAt);
            return true;
        };
    }

    /** Columns: id, name, description, scope, token_hash, format, created_at, last_used_at. */
    RowWriter appTokens() {
        SplittableRandom random = random(4);
        long[] id = {0};
        return out -> {
            if (id[0] == APP_TOKENS) {
                return false;
            }
            long tokenId = ++id[0];
            String purpose = TOKEN_PURPOSES[(int) ((tokenId - 1) % TOKEN_PURPOSES.length)];
            String token = "lbx1_" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
            long createdAt = BASE_MICROS - random.nextLong(200 * DAY_MICROS);
            out.number(tokenId).text(purpose + "-" + (tokenId < 10 ? "0" : "") + tokenId)
                    .text("Token for " + purpose).text(SCOPES[random.nextInt(SCOPES.length)])
                    .text(Sha256.hex(token)).text("v1").timestamp(createdAt);
            if (random.nextInt(4) == 0) {
                out.nullValue();
            } else {
                out.timestamp(createdAt + random.nextLong(300 * DAY_MICROS));
            }
            return true;
        };
    }

    /** Columns: id, occurred_at, user_id, kind, source_ip, payload. One year of events, in id order. */
    RowWriter events() {
        SplittableRandom random = random(5);
        long step = Math.max(1, 365 * DAY_MICROS / Math.max(1, events));
        long[] id = {0};
        return out -> {
            if (id[0] == events) {
                return false;
            }
            long eventId = ++id[0];
            out.number(eventId).timestamp(BASE_MICROS + (eventId - 1) * step + random.nextLong(step));
            if (random.nextInt(100) < 3) {
                out.nullValue();
            } else {
                out.number(1 + random.nextLong(users));
            }
            String kind = links.count(eventId) > 0
                    ? (random.nextBoolean() ? "threat.detected" : "login.failed")
                    : KINDS_BY_PERCENT[random.nextInt(100)];
            out.text(kind);
            int network = random.nextInt(100);
            if (network < 5) {
                out.nullValue();
            } else if (network < 75) {
                out.rawAscii("10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
            } else {
                out.rawAscii((network < 90 ? "203.0.113." : "198.51.100.") + (1 + random.nextInt(254)));
            }
            out.rawAscii("{\"agent\": \"" + AGENTS[random.nextInt(AGENTS.length)] + "\", \"status\": "
                    + (kind.equals("login.failed") ? 401 : 200) + ", \"request\": " + random.nextInt(1_000_000) + "}");
            return true;
        };
    }

    /** Columns: event_id, threat_id, in event order. */
    RowWriter eventThreats() {
        long[] event = {0};
        int[] next = {0};
        int[] count = {0};
        return out -> {
            while (next[0] == count[0]) {
                if (event[0] == events) {
                    return false;
                }
                event[0]++;
                next[0] = 0;
                count[0] = links.count(event[0]);
            }
            out.number(event[0]).number(links.threatId(event[0], next[0]++));
            return true;
        };
    }

    private SplittableRandom random(long table) {
        return new SplittableRandom(seed * 31 + table * 0x9E37_79B9_7F4A_7C15L);
    }

    private static byte[] encrypt(Aead aead, String plaintext, long secretId) {
        try {
            return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), LockboxSecrets.associatedData(secretId));
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot encrypt demo secret " + secretId + ": " + e.getMessage(), e);
        }
    }

    private static String base62(SplittableRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = BASE62.charAt(random.nextInt(BASE62.length()));
        }
        return new String(chars);
    }

    private static String[] kindsByPercent() {
        String[] kinds = new String[100];
        int i = 0;
        for (Object[] share : new Object[][] {{"secret.read", 42}, {"login.success", 22}, {"token.used", 16},
            {"secret.write", 9}, {"login.failed", 5}, {"secret.delete", 2}, {"token.created", 2},
            {"user.created", 1}, {"policy.changed", 1}}) {
            for (int n = 0; n < (int) share[1]; n++) {
                kinds[i++] = (String) share[0];
            }
        }
        return kinds;
    }
}
