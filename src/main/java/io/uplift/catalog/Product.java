package io.uplift.catalog;

import java.util.List;
import java.util.Optional;

/** What the vendor declares once for every release of its product (product.yaml). */
public record Product(String id, String name, String database, List<String> nodeLocalFiles, Services services) {
    /** How the product's services are stopped and started, and the OS account they run as. */
    public record Services(Optional<String> account, List<String> stop, List<String> start) {
        public static Services none() {
            return new Services(Optional.empty(), List.of(), List.of());
        }
    }
}
