package dev.membrane.procedures;

import dev.membrane.config.ConfigKey;
import dev.membrane.events.Event;
import dev.membrane.extension.MembraneRuntime;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.events}: reads the committed-events ring of this database. */
public final class EventsProc {
    @Context
    public GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.events", mode = Mode.READ)
    @Description("Telemetry events of committed transactions, oldest first, with seq > sinceSeq (strictly increasing "
            + "per database). A reader that fell behind the in-memory ring, or kept a seq from before a restart, gets "
            + "an 'events.gap' row first. Pass sinceSeq -1 to start at the oldest retained event.")
    public Stream<EventRow> events(
            @Name(value = "sinceSeq", defaultValue = "-1", description = "Return events after this sequence number; -1 for all retained.")
            long sinceSeq,
            @Name(value = "limit", defaultValue = "1000", description = "Most rows to return (at most eventsMaxLimit).")
            long limit) {
        int max = runtime.config(Map.of()).intValue(ConfigKey.EVENTS_MAX_LIMIT);
        if (limit < 0 || limit > max) {
            throw new IllegalArgumentException("limit: must be in [0, " + max + "] (eventsMaxLimit), got " + limit);
        }
        return runtime.database(db).ring().read(sinceSeq, (int) limit, runtime.clock().millis()).stream().map(EventRow::new);
    }

    /** One event. */
    public static final class EventRow {
        @Description("Sequence number, strictly increasing per database.")
        public final long seq;
        @Description("Event type, e.g. stimulus.injected, node.flipped, events.gap.")
        public final String type;
        @Description("Time of the event (epoch ms, the call's clock).")
        public final long ts;
        @Description("Engine concerned, if any.")
        public final String engine;
        @Description("Stimulus that caused it, if any.")
        public final String stimulusId;
        @Description("Type-specific details (SPEC §9).")
        public final Map<String, Object> payload;

        EventRow(Event e) {
            this.seq = e.seq();
            this.type = e.type().wire();
            this.ts = e.ts();
            this.engine = e.engine();
            this.stimulusId = e.stimulusId();
            this.payload = e.payload();
        }
    }
}
