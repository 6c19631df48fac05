/*
 * upnperr: the only table of UPnP error names.  Spellings are Table 2-51's
 * (VC-31).  724-727 are deliberately absent: a v2 service never sends
 * them (WIC-103).
 */
#include "upnperr.h"

#include <stddef.h>

static const struct {
	enum upnperr	 code;
	const char	*name;
} names[] = {
	{ UPNPERR_INVALID_ACTION, "Invalid Action" },
	{ UPNPERR_INVALID_ARGS, "Invalid Args" },
	{ UPNPERR_ACTION_FAILED, "Action Failed" },
	{ UPNPERR_ARGUMENT_VALUE_INVALID, "Argument Value Invalid" },
	{ UPNPERR_ARGUMENT_VALUE_OUT_OF_RANGE, "Argument Value Out of Range" },
	{ UPNPERR_OPTIONAL_ACTION_NOT_IMPLEMENTED,
	    "Optional Action Not Implemented" },
	{ UPNPERR_OUT_OF_MEMORY, "Out of Memory" },
	{ UPNPERR_STRING_ARGUMENT_TOO_LONG, "String Argument Too Long" },
	{ UPNPERR_ACTION_NOT_AUTHORIZED, "Action not authorized" },
	{ UPNPERR_INACTIVE_CONNECTION_STATE_REQUIRED,
	    "InactiveConnectionStateRequired" },
	{ UPNPERR_CONNECTION_SETUP_FAILED, "ConnectionSetupFailed" },
	{ UPNPERR_CONNECTION_SETUP_IN_PROGRESS, "ConnectionSetupInProgress" },
	{ UPNPERR_CONNECTION_NOT_CONFIGURED, "ConnectionNotConfigured" },
	{ UPNPERR_DISCONNECT_IN_PROGRESS, "DisconnectInProgress" },
	{ UPNPERR_INVALID_LAYER2_ADDRESS, "InvalidLayer2Address" },
	{ UPNPERR_INTERNET_ACCESS_DISABLED, "InternetAccessDisabled" },
	{ UPNPERR_INVALID_CONNECTION_TYPE, "InvalidConnectionType" },
	{ UPNPERR_CONNECTION_ALREADY_TERMINATED, "ConnectionAlreadyTerminated" },
	{ UPNPERR_SPECIFIED_ARRAY_INDEX_INVALID, "SpecifiedArrayIndexInvalid" },
	{ UPNPERR_NO_SUCH_ENTRY_IN_ARRAY, "NoSuchEntryInArray" },
	{ UPNPERR_WILDCARD_NOT_PERMITTED_IN_SRC_IP,
	    "WildCardNotPermittedInSrcIP" },
	{ UPNPERR_WILDCARD_NOT_PERMITTED_IN_EXT_PORT,
	    "WildCardNotPermittedInExtPort" },
	{ UPNPERR_CONFLICT_IN_MAPPING_ENTRY, "ConflictInMappingEntry" },
	{ UPNPERR_NO_PORT_MAPS_AVAILABLE, "NoPortMapsAvailable" },
	{ UPNPERR_CONFLICT_WITH_OTHER_MECHANISMS,
	    "ConflictWithOtherMechanisms" },
	{ UPNPERR_PORT_MAPPING_NOT_FOUND, "PortMappingNotFound" },
	{ UPNPERR_READ_ONLY, "ReadOnly" },
	{ UPNPERR_WILDCARD_NOT_PERMITTED_IN_INT_PORT,
	    "WildCardNotPermittedInIntPort" },
	{ UPNPERR_INCONSISTENT_PARAMETERS, "InconsistentParameters" },
};

const char *
upnperr_name(enum upnperr err)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == err)
			return names[i].name;
	return "Action Failed";
}
