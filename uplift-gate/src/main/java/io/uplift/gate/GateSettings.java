package io.uplift.gate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the gate needs to know about this node. Built with {@link #builder()}; {@code build()}
 * rejects a missing or malformed value naming the setting.
 *
 * @param home           the node's installation home (app/, config/, .uplift/)
 * @param product        the product id of the catalog (product.yaml "product"), e.g. "lockbox"
 * @param programVersion the version of the program files running, e.g. "3.0"
 * @param role           web, worker or proxy
 * @param keysetFile     the node's keyset (config/keyset.json), or null when the product has none
 * @param serviceAccount the OS account the product runs as
 * @param connections    how to reach the product database
 * @param registry       where a node whose database is a read-only standby writes its registry row: the primary's
 *                       database, named in the node's own settings; null when there is none (see {@link StandbyRegistration})
 */
public record GateSettings(Path home, String product, String programVersion, String role, Path keysetFile, String serviceAccount,
        ConnectionSource connections, ConnectionSource registry) {
    public GateSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(programVersion, "programVersion");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(connections, "connections");
    }

    /** Settings without a registry of their own: the node registers in the database it uses. */
    public GateSettings(Path home, String product, String programVersion, String role, Path keysetFile, String serviceAccount,
            ConnectionSource connections) {
        this(home, product, programVersion, role, keysetFile, serviceAccount, connections, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** See the record's parameters; role defaults to "web", the service account to the current user, the keyset to HOME/config/keyset.json. */
    public static final class Builder {
        private Path home;
        private String product;
        private String programVersion;
        private String role = "web";
        private Path keysetFile;
        private boolean keysetGiven;
        private String serviceAccount = System.getProperty("user.name");
        private ConnectionSource connections;
        private ConnectionSource registry;

        private Builder() {}

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder product(String product) {
            this.product = product;
            return this;
        }

        public Builder programVersion(String version) {
            this.programVersion = version;
            return this;
        }

        public Builder role(String role) {
            this.role = role;
            return this;
        }

        /** null: the product has no keyset, and the keyset check is skipped. */
        public Builder keysetFile(Path keysetFile) {
            this.keysetFile = keysetFile;
            this.keysetGiven = true;
            return this;
        }

        public Builder serviceAccount(String account) {
            this.serviceAccount = account;
            return this;
        }

        public Builder connections(ConnectionSource connections) {
            this.connections = connections;
            return this;
        }

        /**
         * For a node whose {@link #connections} reach a read-only standby (a mirror): the primary's
         * database, where its registry row is written. Unused while the database is a primary.
         */
        public Builder registry(ConnectionSource registry) {
            this.registry = registry;
            return this;
        }

        /** @throws GateRefusal with reason SETTINGS_INVALID naming the setting */
        public GateSettings build() throws GateRefusal {
            require(home != null, "home", "the node's installation folder");
            require(product != null && product.matches("[a-z][a-z0-9-]*"), "product", "the catalog's product id, e.g. lockbox");
            require(programVersion != null && programVersion.matches("\\d+(\\.\\d+)*"), "programVersion", "a version such as 3.0");
            require(role != null && role.matches("web|worker|proxy"), "role", "web, worker or proxy");
            require(serviceAccount != null && !serviceAccount.isBlank(), "serviceAccount", "the OS account the product runs as");
            require(connections != null, "connections", "how to open a JDBC connection to the product database");
            Path home = this.home.toAbsolutePath().normalize();
            Path keyset = keysetGiven ? keysetFile : home.resolve("config").resolve("keyset.json");
            return new GateSettings(home, product, programVersion, role, keyset, serviceAccount, connections, registry);
        }

        private static void require(boolean ok, String setting, String expected) throws GateRefusal {
            if (!ok) {
                throw new GateRefusal(GateRefusal.Reason.SETTINGS_INVALID, "Node gate setting '" + setting + "' is missing or malformed: give "
                        + expected + ".");
            }
        }
    }
}
