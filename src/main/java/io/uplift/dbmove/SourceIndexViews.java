package io.uplift.dbmove;

import io.uplift.api.SourceIndexesToDrop;
import java.nio.file.Path;

/** {@link SourceIndexes.Found} as the facade shows it, and back: the move drops exactly the indexes the operator saw. */
final class SourceIndexViews {
    private SourceIndexViews() {}

    static SourceIndexesToDrop view(SourceIndexes.Found found, Path file) {
        return new SourceIndexesToDrop(found.indexes().stream().map(i -> new SourceIndexesToDrop.Index(i.schema(), i.table(), i.name(),
                i.definition(), i.fingerprint(), i.bytes(), i.unique(), i.extra())).toList(), found.kept(), file);
    }

    static SourceIndexes.Found found(SourceIndexesToDrop view) {
        return new SourceIndexes.Found(view.indexes().stream().map(i -> new SourceIndexes.Index(i.schema(), i.table(), i.name(),
                i.definition(), i.fingerprint(), i.bytes(), i.unique(), i.extra())).toList(), view.kept());
    }
}
