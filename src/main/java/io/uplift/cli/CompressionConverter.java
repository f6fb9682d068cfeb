package io.uplift.cli;

import io.uplift.api.MoveRequest.Compression;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --compression none|low|medium|high, in any case. */
final class CompressionConverter implements ITypeConverter<Compression> {
    @Override
    public Compression convert(String value) {
        try {
            return Compression.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("--compression " + value + " is not none, low, medium or high.");
        }
    }
}
