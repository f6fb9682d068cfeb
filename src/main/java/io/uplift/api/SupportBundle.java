package io.uplift.api;

import java.util.List;

/** What went into a support bundle (a zip): the entry names, in order. Never a secret. */
public record SupportBundle(List<String> entries) {
    public SupportBundle {
        entries = List.copyOf(entries);
    }
}
