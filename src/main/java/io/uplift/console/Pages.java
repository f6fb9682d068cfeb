package io.uplift.console;

/** A group of the console's pages: registers its GET pages and POST actions. */
public interface Pages {
    void register(ConsoleRoutes routes);
}
