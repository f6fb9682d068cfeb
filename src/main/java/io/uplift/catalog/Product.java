package io.uplift.catalog;

import java.util.List;
import java.util.Optional;

/**
 * What the vendor declares once for every release of its product (product.yaml).
 *
 * @param tokens where the product keeps its app tokens, if it has any
 * @param roles  the node roles (web, worker, proxy...) in the order a cluster upgrade takes them after the
 *               primary; empty: by role name
 */
public record Product(String id, String name, String database, List<String> nodeLocalFiles, Services services,
        Optional<TokenTable> tokens, List<String> roles) {
    public Product {
        roles = List.copyOf(roles);
    }

    public Product(String id, String name, String database, List<String> nodeLocalFiles, Services services) {
        this(id, name, database, nodeLocalFiles, services, Optional.empty(), List.of());
    }

    public Product(String id, String name, String database, List<String> nodeLocalFiles, Services services, Optional<TokenTable> tokens) {
        this(id, name, database, nodeLocalFiles, services, tokens, List.of());
    }

    /**
     * How the product's services are stopped and started, and the OS account they run as.
     *
     * @param status a command that exits 0 when the services run; without it Uplift assumes they do
     */
    public record Services(Optional<String> account, List<String> stop, List<String> start, List<String> status) {
        public static Services none() {
            return new Services(Optional.empty(), List.of(), List.of(), List.of());
        }
    }
}
