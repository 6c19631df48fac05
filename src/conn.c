/*
 * conn: monitor-mode connection state.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

static const char *const status_names[] = {
	"Unconfigured", "Connecting", "Connected", "PendingDisconnect",
	"Disconnecting", "Disconnected"
};

const char *
conn_status_name(enum conn_status s)
{
	return status_names[s];
}

void
conn_init(struct conn *c)
{
	memset(c, 0, sizeof(*c));
	c->status = CONN_UNCONFIGURED;
	c->last_error = "ERROR_NONE";
}

unsigned
conn_observe(struct conn *c, const struct conn_link *l, uint32_t now)
{
	enum conn_status st;
	unsigned changed = 0;
	bool link = l->exists && l->up && l->running;
	/* 0.0.0.0 is no address (WIC-023). */
	bool addr = l->has_addr && l->addr.s_addr != 0;

	/*
	 * Connected needs carrier and an address; otherwise the cause is
	 * named after what is missing now (VC-43).  The address is reported
	 * only while Connected, so an interface that is down reads as "".
	 */
	st = link && addr ? CONN_CONNECTED : CONN_DISCONNECTED;
	if (st != c->status) {
		changed |= CONN_CHANGED_STATUS;
		if (st == CONN_CONNECTED)
			c->since = now;
		c->status = st;
	}
	if (st == CONN_CONNECTED)
		c->last_error = "ERROR_NONE";
	else
		c->last_error = link ? "ERROR_IP_CONFIGURATION" :
		    "ERROR_NO_CARRIER";
	if (st == CONN_CONNECTED) {
		if (!c->has_addr || c->addr.s_addr != l->addr.s_addr)
			changed |= CONN_CHANGED_ADDR;
		c->has_addr = true;
		c->addr = l->addr;
	} else if (c->has_addr) {
		changed |= CONN_CHANGED_ADDR;
		c->has_addr = false;
		c->addr.s_addr = 0;
	}
	return changed;
}

uint32_t
conn_uptime(const struct conn *c, uint32_t now)
{
	return c->status == CONN_CONNECTED ? now - c->since : 0;
}

void
conn_external_ip(const struct conn *c, char *buf, size_t len)
{
	if (!c->has_addr || len < INET_ADDRSTRLEN) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	inet_ntop(AF_INET, &c->addr, buf, (socklen_t)len);
}
