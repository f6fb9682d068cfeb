package io.uplift.cli;

import io.uplift.install.TreeHash;
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
            description = {"Prints the program-files-sha256 of a release's program folder, for its release.yaml.",
                    "It covers every file's relative path, executable bit and content."})
    static final class Checksum implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FOLDER", description = "The release's program files folder, e.g. releases/2.1/app.")
        Path folder;

        @Override
        public Integer call() {
            if (!Files.isDirectory(folder)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "FOLDER " + folder + " is not a folder");
            }
            spec.commandLine().getOut().println(TreeHash.of(folder));
            return 0;
        }
    }
}
