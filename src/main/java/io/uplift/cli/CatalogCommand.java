package io.uplift.cli;

import io.uplift.Uplift;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Tools for vendors who write a release catalog.",
        subcommands = {CatalogCommand.Checksum.class})
final class CatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "checksum", mixinStandardHelpOptions = true,
            description = {"Prints the checksums a release.yaml must declare: given a release folder (releases/2.1),",
                    "the lines 'program-files-sha256: ...' and 'migrations-sha256: ...' to paste into its release.yaml;",
                    "given any other folder (releases/2.1/app), that folder's checksum alone.",
                    "program-files-sha256 covers every program file's relative path, executable bit and content;",
                    "migrations-sha256 covers the migrations folder the same way and the SQL of the post-upgrade tasks."})
    static final class Checksum implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FOLDER", description = "A release folder (holding release.yaml), e.g. releases/2.1, or a program files folder.")
        Path folder;

        @Override
        public Integer call() {
            if (!Files.isDirectory(folder)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "FOLDER " + folder + " is not a folder");
            }
            Uplift.catalogChecksum(folder).forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }
}
