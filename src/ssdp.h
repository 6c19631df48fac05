/*
 * ssdp: the daemon answers SSDP searches itself (msearch.h does the
 * parsing, matching and formatting).  libupnp 1.8.4 still owns the SSDP
 * socket and sends the NOTIFYs (alive, byebye), but every datagram it
 * reads from its IPv4 socket is handed here instead (upnpfix.c), because
 * it answered each search with a job on a worker thread, and searches
 * that arrived during its start-up announcements grew its pools by about
 * a thread each (23-25 threads 1.5 s after a start under 13 searches,
 * 14-16 without them; bench/FINDINGS.md).  Here an answer due now is sent at once from the
 * thread that read the search; a delayed one waits in a bounded queue
 * that the main loop sends from (ssdp_fd, ssdp_timeout_ms, ssdp_run).
 *
 * Searches from outside the LAN subnet are never answered (WIC-088,
 * SEC-06), nor any before ssdp_arm or after ssdp_disarm.
 */
#ifndef IGD2D_SSDP_H
#define IGD2D_SSDP_H

#include <netinet/in.h>
#include <stdbool.h>

#include "netif.h"

#define SSDP_QUEUE	32	/* delayed searches waiting at most */

/*
 * Opens the socket the answers leave from (bound to the LAN address) and
 * takes over libupnp's SSDP socket; call before UpnpInit2.  max_age is
 * the CACHE-CONTROL of the answers (the NOTIFYs' ssdp_max_age).
 * Returns 0, or -1 with errno.
 */
int	ssdp_open(const struct netif_info *lan, unsigned max_age);

/*
 * Starts answering for the device description desc (the text served at
 * location; lower_location serves the version-1 description).  Returns
 * false if desc has no usable device (msearch_targets).
 */
bool	ssdp_arm(const char *desc, const char *location,
	    const char *lower_location);

/* Stops answering (before the byebyes); queued answers are dropped. */
void	ssdp_disarm(void);

/* For the main loop: poll ssdp_fd for input, wake at ssdp_timeout_ms
 * (-1: nothing queued), then call ssdp_run to send what is due. */
int	ssdp_fd(void);
int	ssdp_timeout_ms(void);
void	ssdp_run(void);

/* Delayed searches dropped so far because the queue was full. */
unsigned long ssdp_dropped(void);

void	ssdp_close(void);

#endif
