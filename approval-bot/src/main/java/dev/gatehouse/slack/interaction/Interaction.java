package dev.gatehouse.slack.interaction;

/**
 * Who clicked where, as a verified callback says.
 *
 * @param channelId the channel of the message (or the modal's origin), or null
 * @param actionTs Slack's timestamp of the click, with the user and action the key for duplicates
 */
public record Interaction(String userId, String teamId, String channelId, String actionTs) {}
