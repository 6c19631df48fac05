/*
 * config: the daemon's settings, their defaults, and the parser of the
 * configuration file format ("key = value" lines).  Pure: no file I/O, no
 * logging.  The shell reads the file into memory and hands it here; every
 * error is collected with its file:line so one run reports all mistakes.
 * A struct config is a plain value (no pointers): copy it with '='.
 */
#ifndef IGD2D_CONFIG_H
#define IGD2D_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "acl.h"

#define CONFIG_IFNAME_MAX	16	/* IFNAMSIZ, with the NUL */
#define CONFIG_PATH_MAX		256
#define CONFIG_STR_MAX		129	/* UDA description strings, with NUL */
/* The lowest nonzero HTTP limits config_validate accepts (issue 8). */
#define HTTP_CONN_LIMIT_MIN	4
#define HTTP_CONN_RATE_MIN	10
#define CONFIG_UUID_LEN		36	/* 8-4-4-4-12, without "uuid:" */
#define CONFIG_LINE_MAX		1024	/* longer lines are an error */
#define CONFIG_ERRS_MAX		32	/* errors kept; more are counted */
#define CONFIG_ERR_LEN		256
#define CONFIG_STATICS_MAX	64	/* `static' lines */
#define CONFIG_STATIC_DESC_MAX	128	/* bytes of a static's description */
#define CONFIG_GROUP_MAX	33	/* group name, with the NUL */

enum config_loglevel {
	CONFIG_LOG_ERR,
	CONFIG_LOG_WARNING,
	CONFIG_LOG_NOTICE,
	CONFIG_LOG_INFO,
	CONFIG_LOG_DEBUG
};

/* A static mapping (`static = PROTO EXTPORT CLIENT INTPORT [DESC]'). */
struct config_static {
	bool		udp;			/* else TCP */
	uint16_t	eport, iport;
	struct in_addr	client;
	char		desc[CONFIG_STATIC_DESC_MAX + 1];
};

struct config {
	char		lan_interface[CONFIG_IFNAME_MAX];
	char		wan_interface[CONFIG_IFNAME_MAX];
	uint16_t	http_port;		/* 0: first free from 49152 */
	char		friendly_name[CONFIG_STR_MAX];
	char		manufacturer[CONFIG_STR_MAX];
	char		manufacturer_url[CONFIG_STR_MAX];
	char		model_description[CONFIG_STR_MAX];
	char		model_name[CONFIG_STR_MAX];
	char		model_number[CONFIG_STR_MAX];
	char		model_url[CONFIG_STR_MAX];
	char		serial_number[CONFIG_STR_MAX];
	char		uuid[CONFIG_UUID_LEN + 1];	/* "" = generated, kept */
	uint32_t	ssdp_max_age;		/* seconds */
	char		state_dir[CONFIG_PATH_MAX];
	char		runtime_dir[CONFIG_PATH_MAX];
	char		pid_file[CONFIG_PATH_MAX];
	unsigned	igd_version;		/* 2: v2 tree + v1 for v1 CPs; 1: v1 only */
	enum config_loglevel log_level;
	bool		wan_guard;		/* drop SSDP/HTTP arriving on the WAN */
	char		fw_chain_prefix[CONFIG_IFNAME_MAX + 8];
	bool		fw_hook;		/* daemon inserts the jumps to its chains */
	uint32_t	lan_wait;		/* seconds to wait for the LAN at start */
	uint32_t	max_mappings;		/* table limit (728 beyond, VC-21) */
	uint32_t	max_mappings_per_client;	/* per owner (728) */
	uint32_t	max_description;	/* bytes; longer gets 605 (VC-25) */
	uint32_t	max_soap_body;		/* bytes of a request body */
	uint32_t	ssdp_rate;		/* M-SEARCH/s per source; 0: off */
	uint32_t	ssdp_burst;
	uint32_t	http_conn_limit;	/* per LAN source; 0: off */
	uint32_t	http_conn_rate;		/* new ones/s per source */
	uint32_t	http_conn_burst;
	bool		hairpin;		/* LAN hosts reach mappings too */
	bool		wan_emulate;		/* wan_mode = emulate (VC-35) */
	uint32_t	connect_delay;		/* emulate: Connecting lasts */
	uint32_t	connecting_timeout;	/* emulate: VC-42 */
	uint32_t	disconnect_delay;	/* emulate: Disconnecting lasts */
	char		external_ip[16];	/* reported instead; "" = the WAN's */
	bool		open_connection_control; /* VC-02: all CPs, not managers */
	struct acl	acl;			/* allow/deny rules, managers */
	bool		persist;		/* keep leases in lease_file */
	char		lease_file[CONFIG_PATH_MAX];	/* "": state_dir/leases */
	char		ctl_socket[CONFIG_PATH_MAX];	/* "": runtime_dir/igd2d.sock */
	char		ctl_group[CONFIG_GROUP_MAX];	/* "": root only */
	struct config_static statics[CONFIG_STATICS_MAX];
	size_t		nstatics;
};

struct config_err {
	char		msg[CONFIG_ERR_LEN];	/* "file:line: key: what is wrong" */
};

struct config_errs {
	unsigned	count;			/* every error, even unkept ones */
	struct config_err err[CONFIG_ERRS_MAX];
};

/* Built-in defaults the shell passes in (paths depend on the build). */
struct config_paths {
	const char	*state_dir;
	const char	*runtime_dir;
	const char	*pid_file;
	const char	*version;		/* model_number default */
	const char	*url;			/* manufacturer/model URL default */
};

/* Fills *cfg with the built-in defaults.  Cannot fail. */
void	config_defaults(struct config *cfg, const struct config_paths *paths);

/*
 * Parses the text buf[0..len) named `file` (used in messages) into *cfg,
 * over whatever *cfg already holds (defaults).  Each bad line adds one
 * error to *errs and parsing goes on.  A key set twice in one text is an
 * error.  Returns the number of errors this call added.
 */
unsigned config_parse(struct config *cfg, const char *file, const char *buf,
	    size_t len, struct config_errs *errs);

/*
 * Sets one key from "key=value" (command line -o); `where` names the
 * origin in messages ("-o").  Returns 0, or -1 with one error added.
 */
int	config_set_option(struct config *cfg, const char *where,
	    const char *keyvalue, struct config_errs *errs);

/* Sets one key to a raw value; same contract as config_set_option. */
int	config_set(struct config *cfg, const char *where, const char *key,
	    const char *value, struct config_errs *errs);

/*
 * Cross-key checks that need the final settings (required keys, LAN and
 * WAN differ).  Returns the number of errors added.
 */
unsigned config_validate(const struct config *cfg, struct config_errs *errs);

/*
 * Calls fn once per key, in table order, with the value formatted as the
 * file would spell it.  For printing the effective settings.
 */
void	config_foreach(const struct config *cfg,
	    void (*fn)(const char *key, const char *value, void *arg), void *arg);

/* Number of keys and the i-th key name (for docs and tests). */
size_t	config_nkeys(void);
const char *config_key(size_t i);

const char *config_loglevel_name(enum config_loglevel);

/*
 * The lease file and control socket paths: the configured ones, or the
 * defaults under state_dir and runtime_dir.
 */
void	config_lease_file(const struct config *cfg, char *buf, size_t len);
void	config_ctl_socket(const struct config *cfg, char *buf, size_t len);

/* Adds a formatted error; for callers that detect errors of their own. */
void	config_err_add(struct config_errs *errs, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
