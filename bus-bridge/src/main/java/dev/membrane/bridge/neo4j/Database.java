package dev.membrane.bridge.neo4j;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Where the bridge writes: a driver and the database its sessions use ({@code null}: the server's default database).
 * Sessions are opened per batch or poll; the driver pools connections and, for {@code neo4j://} URIs, routes writes
 * to the cluster's leader.
 */
public record Database(Driver driver, String name) {

    public static Database of(Driver driver) {
        return new Database(driver, null);
    }

    public Session session() {
        return driver.session(name == null ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(name));
    }
}
