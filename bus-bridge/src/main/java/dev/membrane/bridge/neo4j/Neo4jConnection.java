package dev.membrane.bridge.neo4j;

import dev.membrane.protocol.Version;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the bridge reaches an existing Neo4j, as every Neo4j client does (SPEC §11 "A real Neo4j"): any URI scheme of
 * the official driver ({@code bolt}, {@code bolt+s}, {@code bolt+ssc}, {@code neo4j}, {@code neo4j+s}, {@code neo4j+ssc}:
 * TLS and cluster routing), credentials from the environment ({@code NEO4J_USERNAME}, {@code NEO4J_PASSWORD},
 * {@code NEO4J_BEARER_TOKEN}) or from files ({@code --password-file}, {@code --bearer-token-file}) — never only from
 * the command line — and a database ({@code --database} or {@code NEO4J_DATABASE}; default: the server's default).
 * Credentials written into the URI ({@code bolt://user:pass@host}) are taken, stripped from the URI and warned
 * about. Nothing here ever logs or prints a secret: {@link #describe()} names where the secret came from, not the
 * secret.
 *
 * @param uri       the server URI without credentials
 * @param auth      the driver's auth token
 * @param principal who connects (a user name, "bearer token", or "no auth")
 * @param secretFrom where the password or token came from (for the start line), or null
 * @param database  the database, or null for the server's default
 */
public record Neo4jConnection(URI uri, AuthToken auth, String principal, String secretFrom, String database) {
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jConnection.class);
    public static final String ENV_URI = "NEO4J_URI";
    public static final String ENV_USERNAME = "NEO4J_USERNAME";
    public static final String ENV_PASSWORD = "NEO4J_PASSWORD";
    public static final String ENV_BEARER_TOKEN = "NEO4J_BEARER_TOKEN";
    public static final String ENV_DATABASE = "NEO4J_DATABASE";
    static final Set<String> SCHEMES = Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc");
    static final String DEFAULT_USER = "neo4j";
    /** The procedure the bridge relays into; its absence means the plugin is missing or not allowed. */
    static final String INTEGRATE = "membrane.integrate";

    /** Why the bridge cannot start against this server; the message says the fix. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }
    }

    /**
     * @param uriOption        {@code --bolt}, or null to take {@code NEO4J_URI}
     * @param databaseOption   {@code --database}, or null to take {@code NEO4J_DATABASE}
     * @param passwordFile     {@code --password-file} (its first line), or null
     * @param bearerTokenFile  {@code --bearer-token-file} (its first line), or null
     * @param env              the process environment
     */
    public static Neo4jConnection resolve(String uriOption, String databaseOption, Path passwordFile, Path bearerTokenFile,
                                          Map<String, String> env) {
        String raw = uriOption != null ? uriOption : env.get(ENV_URI);
        if (raw == null || raw.isBlank()) {
            throw new StartupException("no Neo4j URI: give --bolt URI or set " + ENV_URI);
        }
        URI parsed;
        try {
            parsed = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new StartupException("not a URI: " + e.getMessage().replace(raw, redact(raw)));
        }
        if (parsed.getScheme() == null || !SCHEMES.contains(parsed.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            throw new StartupException("unsupported URI scheme '" + parsed.getScheme() + "': use one of " + SCHEMES.stream().sorted().toList());
        }
        String uriUser = null;
        String uriPassword = null;
        if (parsed.getRawUserInfo() != null) {
            String[] ui = parsed.getUserInfo().split(":", 2);
            uriUser = ui[0];
            uriPassword = ui.length > 1 ? ui[1] : null;
            LOG.warn("credentials in the Neo4j URI are visible to every process on this host: prefer {}/{} or --password-file",
                    ENV_USERNAME, ENV_PASSWORD);
        }
        URI clean;
        try {
            clean = new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(), parsed.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new StartupException("not a URI: " + redact(raw));
        }
        String database = databaseOption != null ? databaseOption : blankToNull(env.get(ENV_DATABASE));

        String token = bearerTokenFile != null ? firstLine(bearerTokenFile, "--bearer-token-file") : blankToNull(env.get(ENV_BEARER_TOKEN));
        if (token != null) {
            return new Neo4jConnection(clean, AuthTokens.bearer(token), "bearer token",
                    bearerTokenFile != null ? bearerTokenFile.toString() : ENV_BEARER_TOKEN, database);
        }
        String user = blankToNull(env.get(ENV_USERNAME));
        user = user != null ? user : uriUser != null ? uriUser : DEFAULT_USER;
        String password;
        String from;
        if (passwordFile != null) {
            password = firstLine(passwordFile, "--password-file");
            from = passwordFile.toString();
        } else if (blankToNull(env.get(ENV_PASSWORD)) != null) {
            password = env.get(ENV_PASSWORD);
            from = ENV_PASSWORD;
        } else {
            password = uriPassword;
            from = uriPassword == null ? null : "the URI";
        }
        if (password == null) {
            return new Neo4jConnection(clean, AuthTokens.none(), "no auth", null, database);
        }
        return new Neo4jConnection(clean, AuthTokens.basic(user, password), user, from, database);
    }

    /** For the start line and logs: URI, principal, where the secret came from, database — never the secret. */
    public String describe() {
        return uri + " as " + principal + (secretFrom == null ? "" : " (secret from " + secretFrom + ")")
                + ", database " + (database == null ? "(server default)" : database);
    }

    /**
     * Opens the driver and proves, before the bus accepts anything, that the server answers, accepts these
     * credentials, has the database and serves {@code membrane.integrate}. A server that is not up yet is waited for
     * until {@code wait} has passed; a refusal (authentication, missing database or plugin) fails at once.
     *
     * @param txRetry how long the driver's managed transactions retry transient failures (the relay's one retry layer)
     * @throws StartupException with the cause and its fix
     */
    public Database open(Duration wait, Duration txRetry) {
        Driver driver = GraphDatabase.driver(uri, auth, Config.builder()
                .withLogging(Logging.slf4j())
                .withMaxTransactionRetryTime(txRetry.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .withUserAgent("membrane-bus-bridge/" + Version.current())
                .build());
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                try {
                    driver.verifyConnectivity();
                    break;
                } catch (AuthenticationException e) {
                    throw new StartupException("Neo4j at " + uri + " refused the credentials of " + principal
                            + (secretFrom == null ? " (no password given: set " + ENV_PASSWORD + " or --password-file)" : " from " + secretFrom)
                            + ": " + e.getMessage());
                } catch (SecurityException e) {
                    throw new StartupException("Neo4j at " + uri + " refused " + principal + ": " + e.getMessage());
                } catch (ServiceUnavailableException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new StartupException("Neo4j at " + uri + " did not answer within " + wait.toSeconds() + " s: "
                                + e.getMessage());
                    }
                    LOG.info("waiting for Neo4j at {}: {}", uri, e.getMessage());
                    sleep(1_000);
                }
            }
            Database db = new Database(driver, database);
            try (Session s = db.session()) {
                long found = s.run("SHOW PROCEDURES YIELD name WHERE name = $name RETURN count(*) AS c", Map.of("name", INTEGRATE))
                        .single().get("c").asLong();
                if (found == 0) {
                    throw new StartupException(INTEGRATE + " is not available on " + uri + ": copy the Membrane plugin jar into "
                            + "the server's plugins/ folder and restart it; if neo4j.conf sets "
                            + "dbms.security.procedures.allowlist, add membrane.* to it");
                }
            } catch (ClientException e) {
                throw new StartupException("Neo4j at " + uri + " refused " + describe() + ": " + e.getMessage());
            }
            return db;
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for Neo4j");
        }
    }

    private static String firstLine(Path file, String option) {
        try {
            String line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            if (line.isEmpty()) {
                throw new StartupException(option + " " + file + " is empty");
            }
            return line;
        } catch (IOException e) {
            throw new StartupException(option + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A URI text with any user info replaced, for messages. */
    static String redact(String uri) {
        return uri.replaceAll("//[^/@]*@", "//***@");
    }
}
