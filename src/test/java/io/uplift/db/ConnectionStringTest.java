package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionStringTest {
    @TempDir
    Path temp;

    private static ConnectionString parse(String text) {
        return ConnectionString.parse("--source", text, Map.of());
    }

    @Test
    void issue13_item17_aUriWithAnEmptyHostAndASocketFolderInTheQueryIsAccepted() {
        ConnectionString c = parse("postgresql://postgres@/appdb?host=/tmp&port=55410");

        assertThat(c.hosts()).containsExactly(new ConnectionString.Host("/tmp", 55410));
        assertThat(c.database()).isEqualTo("appdb");
        assertThat(c.user()).isEqualTo("postgres");
        Properties jdbc = org.postgresql.Driver.parseURL(c.jdbcUrl(), null);
        assertThat(jdbc.getProperty("socketFactory")).isEqualTo("org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        assertThat(jdbc.getProperty("socketFactoryArg")).isEqualTo("/tmp/.s.PGSQL.55410");
        assertThat(jdbc.getProperty("PGDBNAME")).isEqualTo("appdb");
        assertThat(DatabaseTarget.of(c, "").connectionArgs()).containsSequence("-h", "/tmp", "-p", "55410");
    }

    @Test
    void issue13_item17_aPercentEncodedSocketFolderAsTheHostIsAccepted() {
        ConnectionString c = parse("postgresql://app@%2Fvar%2Frun%2Fpostgresql:5433/app");

        assertThat(c.hosts()).containsExactly(new ConnectionString.Host("/var/run/postgresql", 5433));
    }

    @Test
    void issue13_item17_theKeywordFormWithQuotedValuesIsAccepted() {
        ConnectionString c = parse("host=/run/postgresql port=5433 dbname='my app' user=app sslmode=disable password='it\\'s secret'");

        assertThat(c.hosts()).containsExactly(new ConnectionString.Host("/run/postgresql", 5433));
        assertThat(c.database()).isEqualTo("my app");
        assertThat(c.writtenPassword()).contains("it's secret");
        assertThat(c.passwordInText()).isTrue();
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void issue13_item17_severalHostsBecomeAPgjdbcMultiHostUrlAndLibpqLists() {
        ConnectionString c = parse("postgresql://app@db1:5432,db2:5433,[::1]/app?target_session_attrs=read-write&sslmode=verify-full"
                + "&sslrootcert=/etc/ssl/root.crt&sslcert=/etc/ssl/client.crt&sslkey=/etc/ssl/client.key");

        assertThat(c.hosts()).containsExactly(new ConnectionString.Host("db1", 5432), new ConnectionString.Host("db2", 5433),
                new ConnectionString.Host("::1", 5432));
        Properties jdbc = org.postgresql.Driver.parseURL(c.jdbcUrl(), null);
        assertThat(jdbc.getProperty("PGHOST")).isEqualTo("db1,db2,[::1]");
        assertThat(jdbc.getProperty("PGPORT")).isEqualTo("5432,5433,5432");
        assertThat(jdbc.getProperty("targetServerType")).isEqualTo("primary");
        assertThat(jdbc.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(jdbc.getProperty("sslrootcert")).isEqualTo("/etc/ssl/root.crt");
        assertThat(jdbc.getProperty("sslcert")).isEqualTo("/etc/ssl/client.crt");
        assertThat(jdbc.getProperty("sslkey")).isEqualTo("/etc/ssl/client.key");
        DatabaseTarget tools = DatabaseTarget.of(c, "pw");
        assertThat(tools.connectionArgs()).containsSequence("-h", "db1,db2,::1", "-p", "5432,5433,5432");
        assertThat(tools.environment()).containsEntry("PGSSLMODE", "verify-full").containsEntry("PGSSLROOTCERT", "/etc/ssl/root.crt")
                .containsEntry("PGTARGETSESSIONATTRS", "read-write");
    }

    @Test
    void issue13_item17_aJdbcUrlMadeFromAConnectionStringReadsBackAsTheSameConnection() {
        ConnectionString socket = parse("host=/tmp port=6000 dbname=x user=u");
        ConnectionString back = ConnectionString.fromJdbc(socket.jdbcUrl(), "u", ErrorCode.USAGE, "test");
        assertThat(back.hosts()).isEqualTo(socket.hosts());
        assertThat(back.database()).isEqualTo("x");

        ConnectionString multi = parse("postgresql://u@h1:1,[::1]:2/x?sslmode=require");
        ConnectionString multiBack = ConnectionString.fromJdbc(multi.jdbcUrl(), "u", ErrorCode.USAGE, "test");
        assertThat(multiBack.hosts()).isEqualTo(multi.hosts());
        assertThat(multiBack.option("sslmode")).contains("require");
    }

    @Test
    void issue13_item17_aServiceIsReadFromTheServiceFileAndTheStringWinsOverIt() throws Exception {
        Path file = temp.resolve("pg_service.conf");
        Files.writeString(file, "# ours\n[other]\nhost=elsewhere\n\n[lockbox]\nhost=/run/postgresql\nport=5433\ndbname=lockbox\nuser=app\n");
        Map<String, String> env = Map.of("PGSERVICEFILE", file.toString());

        ConnectionString named = ConnectionString.parse("--source", "service=lockbox dbname=copy", env);
        assertThat(named.hosts()).containsExactly(new ConnectionString.Host("/run/postgresql", 5433));
        assertThat(named.database()).isEqualTo("copy");
        assertThat(named.user()).isEqualTo("app");

        ConnectionString fromEnv = ConnectionString.parse("--source", "postgresql:///lockbox",
                Map.of("PGSERVICEFILE", file.toString(), "PGSERVICE", "lockbox"));
        assertThat(fromEnv.hosts()).containsExactly(new ConnectionString.Host("/run/postgresql", 5433));

        Path sysconf = Files.createDirectories(temp.resolve("etc"));
        Files.writeString(sysconf.resolve("pg_service.conf"), "[sys]\nhost=db9\ndbname=d\nuser=u\n");
        ConnectionString system = ConnectionString.parse("--source", "service=sys", Map.of("PGSYSCONFDIR", sysconf.toString(),
                "HOME", temp.resolve("nohome").toString()));
        assertThat(system.hosts()).containsExactly(new ConnectionString.Host("db9", 5432));
    }

    @Test
    void issue13_item17_anUnknownServiceOrServiceFileLineIsRefusedNamingIt() throws Exception {
        Path file = temp.resolve("pg_service.conf");
        Files.writeString(file, "[s]\nhost=x\nbogus=1\n");
        Map<String, String> env = Map.of("PGSERVICEFILE", file.toString(), "PGSYSCONFDIR", temp.toString());

        assertThatThrownBy(() -> ConnectionString.parse("--source", "service=missing", env)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("'missing'").hasMessageContaining(file.toString());
        assertThatThrownBy(() -> ConnectionString.parse("--source", "service=s", env)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("line 3").hasMessageContaining("bogus");
    }

    @Test
    void issue13_item17_unknownOrMalformedParametersAreRefusedNamingTheParameter() {
        List<String[]> cases = List.of(
                new String[] {"postgresql://u@h/db?sslmod=require", "'sslmod'"},
                new String[] {"postgresql://u@h/db?sslmode=sometimes", "sslmode 'sometimes'"},
                new String[] {"postgresql://u@h:99999/db", "port '99999'"},
                new String[] {"postgresql://u@h1,h2/db?port=1,2,3", "2 hosts but 3 ports"},
                new String[] {"postgresql://u@h/db?connect_timeout=soon", "connect_timeout"},
                new String[] {"host=h dbname=db user=u colour=blue", "'colour'"},
                new String[] {"host=h dbname", "'dbname' is not followed by '=value'"},
                new String[] {"postgresql://h/db", "no user"},
                new String[] {"postgresql://u@h", "no database"},
                new String[] {"mysql://u@h/db", "neither a postgresql:// URI"},
                new String[] {"postgresql://u@/db?host=/tmp,h2", "socket folder cannot be combined"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(UpliftException.class)
                    .hasMessageContaining("--source").hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE));
        }
    }

    @Test
    void issue13_item10_aParseErrorNeverShowsThePassword() {
        List<String> bad = List.of("postgresql://u:top secret@127.0.0.1:notaport/x", "postgresql://u:top%zzsecret@127.0.0.1/x",
                "host=h user=u dbname=x password='top secret", "host=h user=u dbname=x password=top secret",
                "host=h user=u dbname=x password=top secret=1", "postgresql://u:top secret@127.0.0.1/x?sslmode=nope");
        for (String text : bad) {
            assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(UpliftException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("top").doesNotContain("secret"));
        }
    }

    @Test
    void issue13_item10_theStringsTextNeverShowsThePassword() {
        ConnectionString c = parse("postgresql://u:top%20secret@db:5433/x?sslmode=require");

        assertThat(c.writtenPassword()).contains("top secret");
        assertThat(c.toString()).isEqualTo("postgresql://u@db:5433/x?sslmode=require");
        assertThat(c.jdbcUrl()).doesNotContain("top").doesNotContain("secret");
        assertThat(DatabaseTarget.of(c, "top secret").connectionArgs()).noneMatch(a -> a.contains("secret"));
    }
}
