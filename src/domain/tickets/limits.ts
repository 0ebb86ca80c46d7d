/** Limits of what a ticket holds, shared by the service, the API schemas and the dashboard. */
export const MAX_LABEL_LENGTH = 100;
/** Rounds are four digits on the ticket. */
export const MAX_TICKET_ROUND = 9999;
