package dev.gatehouse.gateway.web;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.policy.PolicyHolder;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.slack.interaction.SlackInteractionHandler;

/**
 * What the HTTP endpoints use, made before the web server starts.
 *
 * @param slack the Slack interactivity handler, or null when Slack is not configured
 * @param approvals the approval service the admin API decides through (front ends never see it)
 * @param console what the console needs besides the rest, or null when it is off
 * @param audit the audit trail, whose health {@code /actuator/health} reports
 * @param quotas the quotas the MCP endpoint shares with the wire proxy
 */
public record WebBeans(
    Gate gate,
    McpServerConfig mcp,
    PolicyHolder policy,
    AuditSearch auditSearch,
    SlackInteractionHandler slack,
    ApprovalService approvals,
    ConsoleSettings console,
    JdbcAuditTrail audit,
    Quotas quotas) {}
