package io.uplift.console;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

/** The console's own refusals at start (bad flag, port in use, unsafe file): an {@link UpliftException} with the code to exit with. */
final class ConsoleException {
    private ConsoleException() {}

    static UpliftException usage(String message) {
        return new UpliftException(ErrorCode.USAGE, message);
    }

    static UpliftException home(String message) {
        return new UpliftException(ErrorCode.INSTALLATION_INVALID, message);
    }
}
