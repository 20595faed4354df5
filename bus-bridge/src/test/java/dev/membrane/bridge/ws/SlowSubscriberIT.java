package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading is dropped with a close reason, and a fast subscriber on the same bus keeps
 * receiving every event meanwhile (SPEC §11: "slow subscribers are dropped with a close reason, never block others").
 * <p>The slow subscriber is a raw TCP socket that speaks just enough WebSocket to subscribe and then never reads,
 * with a tiny receive buffer: the kernel buffers fill, Jetty's writes stop completing, the endpoint's unsent backlog
 * passes {@code maxPendingSends} and the bus closes it. Afterwards the test drains the socket to find the close frame.
 */
class SlowSubscriberIT {
    /** Small on purpose, so the backlog limit is reached after a few hundred events rather than thousands. */
    private static final int MAX_PENDING_SENDS = 32;

    @Test
    void aSubscriberThatStopsReadingIsClosedWithAReasonWhileAFastOneKeepsUp() throws Exception {
        try (Neo4j neo4j = TestNeo4j.start("""
                CREATE (:Engine {id: 'ada', scope: 'personal'})
                CREATE (:Node {id: 'ada-backup', engine: 'ada', text: 'nightly database backup failed'})""");
             Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            Path dir = Files.createTempDirectory("membrane-slow");
            try (Relay relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), dev.membrane.bridge.relay.Batching.DEFAULTS, new EnvelopeSpool(dir), new DeadLetters(dir.resolve("dead-letter.jsonl")));
                 EventTail events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 10, 1000);
                 BusServer bus = new BusServer("127.0.0.1", 0, relay, events, () -> null, 1 << 20, MAX_PENDING_SENDS).start();
                 RawSubscriber slow = RawSubscriber.connect(bus.port())) {
                BusIT.Client fast = BusIT.Client.connect(bus.port());
                fast.send("{\"type\": \"subscribe\", \"topics\": [\"*\"]}");
                fast.next("subscribe.ack");
                slow.subscribe("*");

                BusIT.Client producer = BusIT.Client.connect(bus.port());
                int sent = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (events.droppedSubscribers() == 0 && System.nanoTime() < deadline) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int i = 0; i < 200; i++, sent++) {
                        batch.append(i == 0 ? "" : ",").append(BusIT.envelope("slow-" + sent,
                                "backup failed on host " + sent + " with a long explanation so events carry some weight"));
                    }
                    producer.send(batch.append(']').toString());
                    for (int i = 0; i < 200; i++) {
                        producer.next("ack", 60);
                    }
                }
                assertEquals(1, events.droppedSubscribers(), "the slow subscriber was dropped after " + sent + " envelopes");
                assertEquals(1, events.subscribers(), "the fast subscriber is still subscribed");

                // The fast subscriber still gets events produced after the drop.
                fast.received.clear();
                producer.send(BusIT.envelope("after-drop", "the nightly database backup failed after the drop"));
                assertEquals("accepted", producer.next("ack").path("status").asText());
                JsonNode event = fast.next("event", 30);
                assertTrue(event.path("event").has("type"), event.toString());

                String close = slow.drainUntilClose();
                assertTrue(close.startsWith("1008 slow subscriber"), "close frame: " + close);

                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + bus.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(metrics.body().contains("membrane_bridge_dropped_subscribers_total 1"), metrics.body());
            }
        }
    }

    /** Just enough of RFC 6455 to subscribe and later read frames: a tiny receive buffer, masked client frames. */
    static final class RawSubscriber implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        private RawSubscriber(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
        }

        static RawSubscriber connect(int port) throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(1024); // before connect, so the advertised window stays small
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            RawSubscriber r = new RawSubscriber(s);
            r.out.write(("GET " + BusServer.WS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            r.out.flush();
            String headers = r.readHeaders();
            if (!headers.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + headers);
            }
            return r;
        }

        private String readHeaders() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed during the upgrade");
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        void subscribe(String topic) throws IOException {
            byte[] payload = ("{\"type\": \"subscribe\", \"topics\": [\"" + topic + "\"]}").getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            out.write(0x81); // FIN + text
            out.write(0x80 | payload.length); // masked, short length (< 126)
            out.write(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i % 4]);
            }
            out.flush();
        }

        /** Reads (and discards) frames until the server's close frame; returns "status reason". */
        String drainUntilClose() throws IOException {
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    long len = in.readUnsignedByte() & 0x7F;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = in.readLong();
                    }
                    byte[] payload = in.readNBytes((int) len);
                    if ((b0 & 0x0F) == 0x8) {
                        int status = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                        return status + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no close frame within the socket timeout", e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
