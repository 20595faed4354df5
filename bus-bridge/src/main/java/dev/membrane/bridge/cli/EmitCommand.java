package dev.membrane.bridge.cli;

import dev.membrane.protocol.EnvelopeException;
import dev.membrane.protocol.EnvelopeField;
import dev.membrane.protocol.EnvelopeLimits;
import dev.membrane.protocol.EnvelopeParser;
import dev.membrane.sdk.EmitterOptions;
import dev.membrane.sdk.envelope.UuidV7;
import dev.membrane.sdk.json.Json;
import dev.membrane.protocol.Ack;
import dev.membrane.protocol.Status;
import dev.membrane.sdk.transport.BusConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bus-bridge emit}: one envelope from the shell, for scripts that are not on the JVM. The envelope is given as
 * JSON ({@code --json '{…}'} or {@code --json -} for stdin) or by flags; a missing {@code type} or {@code id} is
 * filled in (a UUIDv7 id). It is validated locally with the plugin's own validator, sent over the bus, and the bus's
 * ack is printed as JSON. Exit status: 0 accepted/duplicate/spooled, 1 rejected (final: never send it again), 2 invalid
 * locally or bad usage, 3 try later (the bus answered {@code retry}, or did not answer).
 */
public final class EmitCommand {
    static final String USAGE = """
            Usage: java -jar bus-bridge.jar emit [--url URI] [--token T] [--timeout MS]
                                             (--json JSON|- | --source S --scope SCOPE --channel C --content TEXT
                                              [--feature NAME=VALUE]... [--origin O] [--target NODE_ID]... [--dedupe-key K])

              --url URI          the bus (default ws://127.0.0.1:8000/api/ws)
              --token T          bearer token, when the bus requires one
              --timeout MS       wait this long for the ack (default: the SDK's ackTimeout, 10000)
              --json JSON|-      the envelope as JSON ("-": read it from stdin); flags below are then not allowed
              --source S         kind:name, kind in script service ui tool test membrane custom
              --scope SCOPE      personal | organizational | ecosystem
              --channel C        [a-z0-9._:-]{1,128}
              --content TEXT     what happened, in words
              --feature N=V      novelty uncertainty trust urgency scale intensity in [0,1], valence in [-1,1] (repeatable)
              --origin O         ui | external | self_observation | tool
              --target NODE_ID   a node inside the scope that replaces retrieval (repeatable; never an engine choice)
              --dedupe-key K     equal keys from one source within the dedupe window integrate once

            Prints the bus's ack. Exit status: 0 accepted/duplicate/spooled, 1 rejected (final), 2 invalid or bad usage,
            3 try later (the bus answered retry, or did not answer).
            """;

    static final int OK = 0;
    static final int REJECTED = 1;
    static final int INVALID = 2;
    /** Try later: the bus answered retry or nothing. */
    static final int NO_ANSWER = 3;

    private EmitCommand() {
    }

    /** Runs the command; returns the exit status. */
    @SuppressWarnings("unchecked")
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        URI url = EmitterOptions.DEFAULT_BUS_URI;
        String token = null;
        long timeoutMs = EmitterOptions.DEFAULT_ACK_TIMEOUT.toMillis();
        String json = null;
        Map<String, Object> envelope = new LinkedHashMap<>();
        Map<String, Object> features = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return OK;
                    }
                    case "--url" -> url = URI.create(value(args, ++i, a));
                    case "--token" -> token = value(args, ++i, a);
                    case "--timeout" -> timeoutMs = Long.parseLong(value(args, ++i, a));
                    case "--json" -> json = value(args, ++i, a);
                    case "--source" -> envelope.put(EnvelopeField.SOURCE.wire(), value(args, ++i, a));
                    case "--scope" -> envelope.put(EnvelopeField.SCOPE.wire(), value(args, ++i, a));
                    case "--channel" -> envelope.put(EnvelopeField.CHANNEL.wire(), value(args, ++i, a));
                    case "--content" -> envelope.put(EnvelopeField.CONTENT.wire(), value(args, ++i, a));
                    case "--origin" -> envelope.put(EnvelopeField.ORIGIN.wire(), value(args, ++i, a));
                    case "--dedupe-key" -> envelope.put(EnvelopeField.DEDUPE_KEY.wire(), value(args, ++i, a));
                    case "--target" -> targets.add(value(args, ++i, a));
                    case "--feature" -> {
                        String[] kv = value(args, ++i, a).split("=", 2);
                        if (kv.length != 2) {
                            throw new IllegalArgumentException("--feature needs NAME=VALUE, got '" + args[i] + "'");
                        }
                        try {
                            features.put(kv[0], Double.parseDouble(kv[1]));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--feature " + kv[0] + " needs a number, got '" + kv[1] + "'");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (json != null) {
                if (!envelope.isEmpty() || !features.isEmpty() || !targets.isEmpty()) {
                    throw new IllegalArgumentException("give the envelope either as --json or as flags, not both");
                }
                String text = json.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : json;
                Object parsed = Json.read(text.trim());
                if (!(parsed instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("--json must be a JSON object");
                }
                envelope = new LinkedHashMap<>((Map<String, Object>) parsed);
            } else {
                if (!features.isEmpty()) {
                    envelope.put(EnvelopeField.FEATURES.wire(), features);
                }
                if (!targets.isEmpty()) {
                    envelope.put(EnvelopeField.TARGET_NODES.wire(), targets);
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return INVALID;
        }
        envelope.putIfAbsent(EnvelopeField.TYPE.wire(), EnvelopeField.INJECT_TYPE);
        envelope.putIfAbsent(EnvelopeField.ID.wire(), new UuidV7().next(System.currentTimeMillis()).toString());
        try {
            new EnvelopeParser(EnvelopeLimits.DEFAULTS).parse(envelope, EnvelopeParser.Mode.ENVELOPE, System.currentTimeMillis(),
                    () -> "unused");
        } catch (EnvelopeException e) {
            err.println("invalid envelope: " + e.getMessage());
            return INVALID;
        }
        String id = String.valueOf(envelope.get(EnvelopeField.ID.wire()));
        Duration timeout = Duration.ofMillis(timeoutMs);
        try (BusConnection bus = BusConnection.open(HttpClient.newHttpClient(), url, token, timeout)) {
            Map<String, Ack> acks = bus.send(List.of(id), "[" + Json.write(envelope) + "]", timeout);
            Ack ack = acks.get(id);
            if (ack == null) {
                err.println("no ack for " + id + " within " + timeoutMs + " ms"
                        + (bus.closedBecause() == null ? "" : " (" + bus.closedBecause() + ")"));
                return NO_ANSWER;
            }
            Map<String, Object> printed = new LinkedHashMap<>();
            printed.put("id", ack.id());
            printed.put("status", ack.status().wire());
            printed.put("reason", ack.reason());
            out.println(Json.write(printed));
            return switch (ack.status()) {
                case REJECTED -> REJECTED;
                case RETRY -> NO_ANSWER; // the bus is busy or stopping: send the same envelope again later
                default -> OK;
            };
        } catch (IOException e) {
            err.println("bus unreachable: " + e.getMessage());
            return NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_ANSWER;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
