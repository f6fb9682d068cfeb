package io.uplift.cli;

import io.uplift.api.ThreadCount;
import io.uplift.api.UpliftException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --threads of the database commands: a preset (reliable, recommended, performant) or a number, for this machine's cores. */
final class ThreadsConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            return ThreadCount.parse(value, Runtime.getRuntime().availableProcessors());
        } catch (UpliftException e) {
            // picocli then names the option and exits 2, as for every other bad value.
            throw new TypeConversionException(e.getMessage());
        }
    }
}
