package io.uplift;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape PRODUCT.md ("Architecture") promises: the front ends (CLI, console, agent) go through the
 * facade {@link Uplift} and the values of {@code io.uplift.api} only, so the domain packages can change
 * behind them; api depends on no other package of Uplift; the packages form no cycle; and nothing but
 * the CLI knows the CLI.
 */
@AnalyzeClasses(packages = "io.uplift", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
    @ArchTest
    static final ArchRule cliUsesOnlyTheFacade = frontEndUsesOnlyTheFacade("io.uplift.cli..", "io.uplift.console..");

    @ArchTest
    static final ArchRule consoleUsesOnlyTheFacade = frontEndUsesOnlyTheFacade("io.uplift.console..", "io.javalin..", "jakarta.servlet..",
            "org.eclipse.jetty..", "org.owasp.encoder..", "org.bouncycastle.crypto..", "kotlin..");

    @ArchTest
    static final ArchRule agentUsesOnlyTheFacade = frontEndUsesOnlyTheFacade("io.uplift.agent..");

    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("io.uplift.(*)..").should().beFreeOfCycles();

    /** api is the leaf every package may use; were it to use one of them, that package and api would form a cycle. */
    @ArchTest
    static final ArchRule apiUsesNoOtherUpliftPackage = noClasses().that().resideInAPackage("io.uplift.api..")
            .should().dependOnClassesThat(resideInAPackage("io.uplift..").and(resideOutsideOfPackage("io.uplift.api..")));

    @ArchTest
    static final ArchRule onlyTheCliKnowsTheCli = noClasses().that().resideOutsideOfPackage("io.uplift.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.uplift.cli..");

    /**
     * Beside the facade and api, a front end may use the JDK and the libraries that draw the terminal
     * and print JSON (jline, picocli, Jackson; sun.misc.Signal for Ctrl-C), plus what it names: the CLI
     * starts the console; the console uses its HTTP server (Javalin on Jetty), the HTML encoder and
     * BouncyCastle's Argon2 for the admin password. The agent package does not exist (the agent is a
     * CLI command): its rule holds if it ever does.
     */
    private static ArchRule frontEndUsesOnlyTheFacade(String frontEnd, String... alsoAllowed) {
        List<String> allowed = new ArrayList<>(List.of(frontEnd, "io.uplift.api..", "java..", "picocli..", "org.jline..",
                "com.fasterxml.jackson..", "sun.misc.."));
        allowed.addAll(List.of(alsoAllowed));
        return classes().that().resideInAPackage(frontEnd).should().onlyDependOnClassesThat(or(
                belongToAnyOf(Uplift.class), resideInAnyPackage(allowed.toArray(String[]::new))))
                .allowEmptyShould(!frontEnd.equals("io.uplift.console..") && !frontEnd.equals("io.uplift.cli.."));
    }
}
