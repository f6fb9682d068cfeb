package io.uplift.catalog;

import io.uplift.api.ObsoleteDependency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release.TaskMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {
    @TempDir
    Path tmp;

    private TestCatalog lockbox() {
        return TestCatalog.lockbox(tmp.resolve("catalog"));
    }

    /** Loads a catalog that must be invalid; returns the loader's message. */
    private static String problemsOf(TestCatalog catalog) {
        UpliftException e = catchThrowableOfType(catalog::load, UpliftException.class);
        assertThat(e).as("loading must fail with an UpliftException").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
        return e.getMessage();
    }

    /** "FILE:LINE: FIELD:", the way each problem line starts. */
    private static String at(TestCatalog catalog, String file, int line, String field) {
        return catalog.file(file) + ":" + line + ": " + field + ":";
    }

    private static long problemCount(String message) {
        return message.lines().filter(l -> l.startsWith("  ")).count();
    }

    // ---- valid catalogs ----------------------------------------------------------------------

    @Test
    void aValidLockboxCatalogLoadsWithEveryField() {
        TestCatalog catalog = lockbox().release("3.1", """
                version: "3.1"
                summary: Everything a release can say
                upgrade-from: ">=3.0 <3.1"
                required-stop: yes
                requires: ["2.1", "3.0"]
                prerequisites:
                  postgresql: ">= 14"
                  move-database-to: 17
                  java: ">=21"
                  free-disk-mb: 250
                  os-family: Linux
                migrations: migrations
                program-files: app
                node-local-files: [data/attachments, config/extra.properties]
                key-rotation-required: false
                encrypted-columns:
                  - {table: secrets, column: value}
                  - {table: users, column: totp_seed}
                token-formats:
                  introduces: v3
                  deprecates: [v1, v2]
                """);

        Catalog loaded = catalog.load();

        assertThat(loaded.folder()).isEqualTo(catalog.root().toAbsolutePath().normalize());
        assertThat(loaded.versions()).containsExactly("1.0", "1.1", "2.0", "2.1", "3.0", "3.1");
        assertThat(loaded.newest().version()).isEqualTo(Version.parse("3.1"));

        Product product = loaded.product();
        assertThat(product.id()).isEqualTo("lockbox");
        assertThat(product.name()).isEqualTo("Lockbox");
        assertThat(product.database()).isEqualTo("lockbox");
        assertThat(product.nodeLocalFiles()).containsExactly("config/database.properties", "config/keyset.json");
        assertThat(product.services().account()).contains("lockbox");
        assertThat(product.services().stop()).containsExactly("app/bin/lockbox", "stop");
        assertThat(product.services().start()).containsExactly("app/bin/lockbox", "start");

        Release r11 = loaded.release(Version.parse("1.1")).orElseThrow();
        assertThat(r11.requiredStop()).isTrue();
        assertThat(r11.upgradeFrom().contains(Version.parse("1.0"))).isTrue();
        assertThat(r11.postUpgradeTasks()).isEmpty();
        assertThat(r11.keyRotationRequired()).isFalse();

        Release r20 = loaded.release(Version.parse("2.0")).orElseThrow();
        Path folder20 = catalog.file("releases/2.0");
        assertThat(r20.summary()).isEqualTo("Taxonomies, token format v2");
        assertThat(r20.upgradeFrom()).hasToString(">=1.1");
        assertThat(r20.upgradeFrom().contains(Version.parse("1.0"))).isFalse();
        assertThat(r20.requiredStop()).isFalse();
        assertThat(r20.requires()).isEmpty();
        assertThat(r20.folder()).isEqualTo(folder20).isAbsolute();
        assertThat(r20.migrations()).isEqualTo(folder20.resolve("migrations"));
        assertThat(r20.programFiles()).isEqualTo(folder20.resolve("app"));
        assertThat(r20.encryptedColumns()).containsExactly(new Release.EncryptedColumn("secrets", "value"));
        assertThat(r20.tokenFormats().introduces()).contains("v2");
        assertThat(r20.tokenFormats().deprecates()).containsExactly("v1");
        assertThat(r20.postUpgradeTasks()).containsExactly(
                new Release.PostUpgradeTask("update-taxonomies", "Update taxonomies", TaskMode.AUTOMATIC,
                        Optional.of("UPDATE threats SET taxonomy_id = 1 WHERE taxonomy_id IS NULL"), Optional.empty()),
                new Release.PostUpgradeTask("review-tokens", "Review the v1 tokens", TaskMode.MANUAL,
                        Optional.empty(), Optional.of("Replace every v1 app token before 3.0")));
        assertThat(r20.prerequisites().moveDatabaseTo()).isEmpty();

        Release r30 = loaded.release(Version.parse("3.0")).orElseThrow();
        assertThat(r30.keyRotationRequired()).isTrue();
        assertThat(r30.prerequisites().postgresql().contains(Version.parse("14"))).isTrue();
        assertThat(r30.prerequisites().postgresql().contains(Version.parse("10"))).isFalse();
        assertThat(r30.prerequisites().moveDatabaseTo()).isEqualTo(OptionalInt.of(16));
        assertThat(r30.prerequisites().java().contains(Version.parse("17"))).isTrue();
        assertThat(r30.prerequisites().java().contains(Version.parse("11"))).isFalse();
        assertThat(r30.obsoleteDependencies()).containsExactly(new ObsoleteDependency("postgresql-10",
                "The PostgreSQL 10 server the database was moved from"));

        Release r31 = loaded.release(Version.parse("3.1")).orElseThrow();
        assertThat(r31.summary()).isEqualTo("Everything a release can say");
        assertThat(r31.requiredStop()).isTrue();
        assertThat(r31.requires()).containsExactly(Version.parse("2.1"), Version.parse("3.0"));
        assertThat(r31.upgradeFrom().contains(Version.parse("3.0"))).isTrue();
        assertThat(r31.upgradeFrom().contains(Version.parse("2.1"))).isFalse();
        assertThat(r31.prerequisites().postgresql().contains(Version.parse("14"))).isTrue();
        assertThat(r31.prerequisites().postgresql().contains(Version.parse("13"))).isFalse();
        assertThat(r31.prerequisites().moveDatabaseTo()).isEqualTo(OptionalInt.of(17));
        assertThat(r31.prerequisites().java().contains(Version.parse("17"))).isFalse();
        assertThat(r31.prerequisites().freeDiskMb()).isEqualTo(250);
        assertThat(r31.prerequisites().osFamily()).contains("linux");
        assertThat(r31.nodeLocalFiles()).containsExactly("data/attachments", "config/extra.properties");
        assertThat(r31.keyRotationRequired()).isFalse();
        assertThat(r31.encryptedColumns()).extracting(Release.EncryptedColumn::column).containsExactly("value", "totp_seed");
        assertThat(r31.tokenFormats().introduces()).contains("v3");
        assertThat(r31.tokenFormats().deprecates()).containsExactly("v1", "v2");
        assertThat(r31.obsoleteDependencies()).isEmpty();
    }

    @Test
    void optionalFieldsTakeTheirDocumentedDefaults() {
        TestCatalog catalog = TestCatalog.at(tmp.resolve("catalog"))
                .product("product: tiny\ndatabase: tiny\n")
                .release("1.0", "version: \"1.0\"\nupgrade-from: \"*\"\n");

        Catalog loaded = catalog.load();

        assertThat(loaded.product().name()).isEqualTo("tiny");
        assertThat(loaded.product().nodeLocalFiles()).isEmpty();
        assertThat(loaded.product().services()).isEqualTo(Product.Services.none());
        Release r = loaded.release(Version.parse("1.0")).orElseThrow();
        assertThat(r.summary()).isEmpty();
        assertThat(r.requiredStop()).isFalse();
        assertThat(r.requires()).isEmpty();
        assertThat(r.keyRotationRequired()).isFalse();
        assertThat(r.prerequisites().moveDatabaseTo()).isEmpty();
        assertThat(r.prerequisites().postgresql().contains(Version.parse("9"))).isTrue();
        assertThat(r.programFiles()).isEqualTo(catalog.file("releases/1.0/app"));
        assertThat(r.migrations()).isEqualTo(catalog.file("releases/1.0/migrations"));
    }

    @Test
    void issue16_theRolesOfAClusterLoadInTheirOrderAndABadOrRepeatedOneIsNamed() {
        TestCatalog good = TestCatalog.at(tmp.resolve("good")).product("product: tiny\ndatabase: tiny\nroles: [web, worker, proxy]\n")
                .release("1.0", "version: \"1.0\"\nupgrade-from: \"*\"\n");
        assertThat(good.load().product().roles()).containsExactly("web", "worker", "proxy");

        TestCatalog bad = TestCatalog.at(tmp.resolve("bad")).product("product: tiny\ndatabase: tiny\nroles: [web, Worker, web]\n")
                .release("1.0", "version: \"1.0\"\nupgrade-from: \"*\"\n");
        assertThat(problemsOf(bad)).contains("product.yaml").contains("roles").contains("'Worker' must be a lower-case name")
                .contains("'web' is listed twice");
    }

    @Test
    void releasesAreOrderedByNumericVersionNotByFolderName() {
        TestCatalog catalog = TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("5.10", ">=5.5", false, List.of())
                .simpleRelease("5.5", "*", false, List.of())
                .simpleRelease("5.7", ">=5.5", false, List.of());

        assertThat(catalog.load().versions()).containsExactly("5.5", "5.7", "5.10");
    }

    // ---- one problem at a time ---------------------------------------------------------------

    @Test
    void malformedYamlWithABadIndentIsReportedWithItsLine() {
        TestCatalog catalog = lockbox().releaseFileOnly("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                prerequisites:
                    postgresql: ">=14"
                  java: ">=17"
                program-files: app
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(catalog.file("releases/3.0/release.yaml") + ":5: ").contains("not valid YAML");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void malformedYamlWithAnUnclosedQuoteIsReportedAtTheLineOfTheQuote() {
        TestCatalog catalog = lockbox().releaseFileOnly("2.0", """
                version: '2.0'
                summary: "Taxonomies, token format v2
                upgrade-from: '>=1.1'
                required-stop: false
                program-files: app
                """);

        String message = problemsOf(catalog);

        // SnakeYAML notices the problem at the end of the file (line 6 of a 5-line file); the message must
        // also name line 2, where the quote opened, or the vendor looks in the wrong place.
        assertThat(message).contains(catalog.file("releases/2.0/release.yaml") + ":").contains("not valid YAML")
                .contains("quoted scalar").contains("line 2");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aMissingReleaseVersionIsReportedWithFileLineAndField() {
        TestCatalog catalog = lockbox().release("2.0", """
                summary: Taxonomies
                upgrade-from: ">=1.1"
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 1, "version") + " is missing");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aMissingUpgradeFromIsReportedWithFileLineAndField() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                summary: Taxonomies
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 1, "upgrade-from") + " is missing");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aMissingProductIdIsReportedWithFileLineAndField() {
        TestCatalog catalog = lockbox().product("""
                name: Lockbox
                database: lockbox
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "product.yaml", 1, "product") + " is missing");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aMissingDatabaseIsReportedWithFileLineAndField() {
        TestCatalog catalog = lockbox().product("""
                product: lockbox
                name: Lockbox
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "product.yaml", 1, "database") + " is missing");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aMissingProductFileIsReported() throws Exception {
        TestCatalog catalog = lockbox();
        Files.delete(catalog.file("product.yaml"));

        String message = problemsOf(catalog);

        assertThat(message).contains(catalog.file("product.yaml") + ":1: ").contains("missing");
    }

    @Test
    void aProductIdThatIsNotLowerCaseIsReported() {
        TestCatalog catalog = lockbox().product("""
                name: Lockbox
                product: Lock Box
                database: lockbox
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "product.yaml", 2, "product")).contains("'Lock Box'");
    }

    @Test
    void anUnknownFieldIsReportedSoATypoDoesNotPassSilently() {
        TestCatalog catalog = lockbox().release("2.1", """
                version: "2.1"
                summary: A required stop
                upgrade-from: ">=1.1"
                requierd-stop: true
                program-files: app
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.1/release.yaml", 4, "requierd-stop") + " unknown field")
                .contains("required-stop");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void anUnknownNestedFieldIsReportedWithItsPath() {
        TestCatalog catalog = lockbox().release("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                prerequisites:
                  postgresql: ">=14"
                  postgres-version: 16
                program-files: app
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/3.0/release.yaml", 5, "prerequisites.postgres-version") + " unknown field");
    }

    @Test
    void anUnknownProductFieldIsReported() {
        TestCatalog catalog = lockbox().product(TestCatalog.LOCKBOX_PRODUCT + "datbase: lockbox\n");

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "product.yaml", 11, "datbase") + " unknown field");
    }

    @Test
    void aVersionThatDiffersFromItsFolderNameIsReportedAtTheVersionLine() {
        TestCatalog catalog = lockbox().release("2.1", """
                summary: A required stop
                version: "2.2"
                upgrade-from: ">=1.1"
                required-stop: true
                program-files: app
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.1/release.yaml", 2, "version"))
                .contains("2.2").contains("folder is named 2.1");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aVersionWrittenWithTrailingZerosMatchesItsFolder() {
        TestCatalog catalog = lockbox().release("2.1", """
                version: "2.1.0"
                upgrade-from: ">=1.1"
                required-stop: true
                """);

        assertThat(catalog.load().versions()).contains("2.1.0");
    }

    @Test
    void twoFoldersDeclaringTheSameVersionAreReported() {
        TestCatalog catalog = lockbox().release("2.1.0", """
                version: "2.1"
                upgrade-from: ">=1.1"
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains("version").contains("declared by two releases");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aDuplicateKeyIsReportedAtItsSecondOccurrence() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                summary: Taxonomies
                upgrade-from: ">=1.1"
                required-stop: false
                summary: Taxonomies, again
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 5, "summary") + " appears twice");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aCycleOfRequiredStopsIsReportedOnce() {
        TestCatalog catalog = lockbox()
                .release("2.0", """
                        version: "2.0"
                        upgrade-from: ">=1.1"
                        requires: ["2.1"]
                        """)
                .release("2.1", """
                        version: "2.1"
                        upgrade-from: ">=1.1"
                        required-stop: true
                        requires: ["2.0"]
                        """);

        String message = problemsOf(catalog);

        assertThat(message).contains("cycle").contains("2.0 requires 2.1 requires 2.0")
                .contains(at(catalog, "releases/2.0/release.yaml", 3, "requires"));
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aReleaseRequiringItselfIsACycle() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                requires: ["2.0"]
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/2.0/release.yaml", 3, "requires")).contains("cycle");
    }

    @Test
    void requiringANewerReleaseIsReported() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                requires: ["2.1"]
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 3, "requires"))
                .contains("requires 2.1").contains("not older");
    }

    @Test
    void requiringAVersionThatIsNotInTheCatalogIsReported() {
        TestCatalog catalog = lockbox().release("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                required-stop: false
                requires: ["1.5"]
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/3.0/release.yaml", 4, "requires"))
                .contains("requires 1.5, which is not in the catalog");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void requiringSomethingThatIsNotAVersionIsReported() {
        TestCatalog catalog = lockbox().release("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                requires: ["two.one"]
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/3.0/release.yaml", 3, "requires")).contains("'two.one'");
    }

    @Test
    void anAutomaticTaskWithoutSqlIsReported() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                post-upgrade-tasks:
                  - id: update-taxonomies
                    title: Update taxonomies
                    mode: automatic
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 4, "post-upgrade-tasks[0].sql") + " is missing")
                .contains("automatic");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aManualTaskWithoutInstructionsAndAnUnknownModeAreReported() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                post-upgrade-tasks:
                  - id: review
                    mode: manual
                  - id: other
                    mode: sometimes
                    sql: SELECT 1
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 4, "post-upgrade-tasks[0].instructions") + " is missing")
                .contains(at(catalog, "releases/2.0/release.yaml", 7, "post-upgrade-tasks[1].mode") + " 'sometimes'");
        assertThat(problemCount(message)).isEqualTo(2);
    }

    @Test
    void aMissingProgramFilesFolderIsReported() {
        TestCatalog catalog = lockbox().releaseFileOnly("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 1, "program-files"))
                .contains(catalog.file("releases/2.0/app") + " does not exist");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aDeclaredFolderThatDoesNotExistIsReportedAtItsLine() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                migrations: sql
                program-files: dist
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 3, "migrations"))
                .contains(at(catalog, "releases/2.0/release.yaml", 4, "program-files"))
                .contains(catalog.file("releases/2.0/dist") + " does not exist");
        assertThat(problemCount(message)).isEqualTo(2);
    }

    @Test
    void aProgramFilesFolderOutsideTheReleaseIsReported() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                upgrade-from: ">=1.1"
                program-files: ../1.1/app
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/2.0/release.yaml", 3, "program-files"))
                .contains("leaves the release folder");
    }

    @Test
    void aBadVersionRangeIsReportedAtItsLine() {
        TestCatalog catalog = lockbox().release("2.0", """
                version: "2.0"
                summary: Taxonomies
                upgrade-from: ">=1.x"
                """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "releases/2.0/release.yaml", 3, "upgrade-from")).contains("'>=1.x'");
        assertThat(problemCount(message)).isEqualTo(1);
    }

    @Test
    void aBadPrerequisiteRangeIsReportedWithItsPath() {
        TestCatalog catalog = lockbox().release("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                prerequisites:
                  postgresql: "fourteen"
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/3.0/release.yaml", 4, "prerequisites.postgresql"))
                .contains("'fourteen'");
    }

    @Test
    void aMoveToAServerTheReleaseRejectsIsReported() {
        TestCatalog catalog = lockbox().release("3.0", """
                version: "3.0"
                upgrade-from: ">=2.1"
                prerequisites:
                  postgresql: ">=14"
                  move-database-to: 12
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/3.0/release.yaml", 5, "prerequisites.move-database-to"))
                .contains("outside");
    }

    @Test
    void anAbsoluteNodeLocalPathIsReportedInProductAndRelease() {
        TestCatalog catalog = lockbox()
                .product("""
                        product: lockbox
                        database: lockbox
                        node-local-files: [config/database.properties, /etc/lockbox/keyset.json]
                        """)
                .release("2.0", """
                        version: "2.0"
                        upgrade-from: ">=1.1"
                        node-local-files: [../shared/keyset.json]
                        """);

        String message = problemsOf(catalog);

        assertThat(message).contains(at(catalog, "product.yaml", 3, "node-local-files") + " '/etc/lockbox/keyset.json'")
                .contains(at(catalog, "releases/2.0/release.yaml", 3, "node-local-files") + " '../shared/keyset.json'")
                .contains("must be a path inside the home");
        assertThat(problemCount(message)).isEqualTo(2);
    }

    @Test
    void aBooleanThatIsNotTrueOrFalseIsReported() {
        TestCatalog catalog = lockbox().release("2.1", """
                version: "2.1"
                upgrade-from: ">=1.1"
                required-stop: maybe
                """);

        assertThat(problemsOf(catalog)).contains(at(catalog, "releases/2.1/release.yaml", 3, "required-stop")).contains("'maybe'");
    }

    @Test
    void aReleaseFolderWithoutReleaseYamlIsReported() throws Exception {
        TestCatalog catalog = lockbox();
        Files.createDirectories(catalog.root().resolve("releases/4.0/app"));

        assertThat(problemsOf(catalog)).contains(catalog.file("releases/4.0/release.yaml").toString()).contains("no release.yaml");
    }

    @Test
    void aCatalogWithoutReleasesIsReported() {
        TestCatalog catalog = TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT);

        assertThat(problemsOf(catalog)).contains(catalog.file("releases").toString()).contains("missing");
    }

    @Test
    void aMissingCatalogFolderIsAClearError() {
        Path missing = tmp.resolve("no-such-catalog");

        UpliftException e = catchThrowableOfType(() -> CatalogLoader.load(missing), UpliftException.class);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
        assertThat(e.getMessage()).contains(missing.toAbsolutePath().normalize().toString()).contains("does not exist")
                .contains("--catalog");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileInsteadOfACatalogFolderIsAClearError() throws Exception {
        Path file = Files.writeString(tmp.resolve("product.yaml"), TestCatalog.LOCKBOX_PRODUCT);

        UpliftException e = catchThrowableOfType(() -> CatalogLoader.load(file), UpliftException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
        assertThat(e.getMessage()).contains(file.toString()).contains("not a folder");
    }

    // ---- many problems at once, and no side effects ---------------------------------------------

    @Test
    void problemsInDifferentFilesAreReportedTogetherInOneException() {
        TestCatalog catalog = lockbox()
                .product("""
                        product: lockbox
                        name: Lockbox
                        """)
                .release("1.1", """
                        version: "1.1"
                        upgrade-from: ">=1.0"
                        requierd-stop: true
                        """)
                .release("2.0", """
                        version: "2.0"
                        upgrade-from: ">=1.x"
                        """)
                .releaseFileOnly("2.1", """
                        version: "2.1"
                        upgrade-from: ">=1.1"
                        required-stop: true
                        """)
                .release("3.0", """
                        version: "3.0"
                        upgrade-from: ">=2.1"
                        requires: ["2.5"]
                        """);

        String message = problemsOf(catalog);

        assertThat(message).contains("has 5 problems");
        assertThat(problemCount(message)).isEqualTo(5);
        assertThat(message)
                .contains(at(catalog, "product.yaml", 1, "database"))
                .contains(at(catalog, "releases/1.1/release.yaml", 3, "requierd-stop"))
                .contains(at(catalog, "releases/2.0/release.yaml", 2, "upgrade-from"))
                .contains(at(catalog, "releases/2.1/release.yaml", 1, "program-files"))
                .contains(at(catalog, "releases/3.0/release.yaml", 3, "requires"));
    }

    @Test
    void aSingleProblemIsCountedInTheSingular() {
        TestCatalog catalog = lockbox().release("2.0", "version: \"2.0\"\n");

        assertThat(problemsOf(catalog)).contains("has 1 problem;").contains("fix it");
    }

    @Test
    void aFailedLoadLeavesTheCatalogFolderUntouched() {
        TestCatalog catalog = lockbox()
                .release("2.0", "version: \"2.0\"\nupgrade-from: \">=1.x\"\n")
                .releaseFileOnly("2.1", "version: \"2.1\"\nupgrade-from: \">=1.1\"\n");
        Map<String, String> before = catalog.snapshot();

        problemsOf(catalog);

        assertThat(catalog.snapshot()).isEqualTo(before);
        assertThat(before).containsKey("releases/2.1/").doesNotContainKey("releases/2.1/app/");
    }

    @Test
    void aSuccessfulLoadLeavesTheCatalogFolderUntouched() {
        TestCatalog catalog = lockbox();
        Map<String, String> before = catalog.snapshot();

        catalog.load();

        assertThat(catalog.snapshot()).isEqualTo(before);
    }

    @Test
    void theLoadedCatalogCannotBeChanged() {
        Catalog loaded = lockbox().load();
        Release any = loaded.newest();

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> loaded.releases().remove(any.version())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> any.requires().add(Version.parse("9.9"))))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
