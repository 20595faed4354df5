package dev.membrane.physics.channels;

import java.util.List;
import java.util.Map;

/**
 * Which channel each item belongs to (SPEC §6.7).
 *
 * @param channels      the channels in play; the unaffiliated one, if any, is among them
 * @param channelOfItem item id → index into {@code channels}; every item is mapped
 */
public record ChannelPlan(List<Channel> channels, Map<String, Integer> channelOfItem) {

    public static final ChannelPlan NONE = new ChannelPlan(List.of(), Map.of());

    /** Channels matter only when at least one subentity is in play. */
    public boolean active() {
        return channels.stream().anyMatch(Channel::isSubentity);
    }
}
