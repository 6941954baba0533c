package azauthtrace

// serviceCodes maps service error codes (lower case) to their class.
// Codes whose meaning depends on the details (AuthenticationFailed,
// Unauthorized, Forbidden, "401") are not here.
var serviceCodes = map[string]Class{
	// The token itself was rejected.
	"invalidauthenticationtoken":         ClassTokenRejected,
	"invalidauthenticationtokenaudience": ClassTokenRejected,
	"invalidauthenticationtokentenant":   ClassTokenRejected,
	"expiredauthenticationtoken":         ClassTokenRejected,
	"authenticationfailedmissingtoken":   ClassTokenRejected,
	"authenticationfailedinvalidheader":  ClassTokenRejected,
	"invalidauthenticationinfo":          ClassTokenRejected,
	"noauthenticationinformation":        ClassTokenRejected,
	"invalidtoken":                       ClassTokenRejected,
	"tokenexpired":                       ClassTokenRejected,
	// A valid identity was denied.
	"authorizationfailed":                 ClassPermission,
	"linkedauthorizationfailed":           ClassPermission,
	"rbacaccessdenied":                    ClassPermission,
	"authorizationpermissionmismatch":     ClassPermission,
	"authorizationfailure":                ClassPermission,
	"authorizationsourceipmismatch":       ClassPermission,
	"authorizationprotocolmismatch":       ClassPermission,
	"authorizationresourcetypemismatch":   ClassPermission,
	"authorizationservicemismatch":        ClassPermission,
	"insufficientaccountpermissions":      ClassPermission,
	"forbiddenbyrbac":                     ClassPermission,
	"forbiddenbypolicy":                   ClassPermission,
	"forbiddenbyfirewall":                 ClassPermission,
	"forbiddenbyconnection":               ClassPermission,
	"accessdenied":                        ClassPermission,
	"authorization_requestdenied":         ClassPermission,
	"permissiondenied":                    ClassPermission,
	"insufficientpermissions":             ClassPermission,
	"authorizationrequestdenied":          ClassPermission,
	"keybasedauthenticationnotpermitted":  ClassConfiguration,
	"publicaccessnotpermitted":            ClassConfiguration,
	"unauthorizedblobaccesstier":          ClassPermission,
	"invalidauthenticationtokenissuer":    ClassTokenRejected,
	"missingsubscriptionregistration":     ClassConfiguration,
	"subscriptionnotregistered":           ClassConfiguration,
	"disallowedoperation":                 ClassPermission,
	"requestdisallowedbypolicy":           ClassPermission,
	"scopelocked":                         ClassPermission,
	"authenticationfailedinvalidtenantid": ClassTokenRejected,
	// IoT Hub: the SAS token, key or certificate was refused.
	"iothubunauthorizedaccess": ClassAuthentication,
	"iothubunauthorized":       ClassAuthentication,
}

// knownCode returns the class serviceCodes gives code, ignoring case,
// without allocating.
func knownCode(code string) (Class, bool) {
	var buf [64]byte
	if len(code) > len(buf) {
		return "", false
	}
	b := buf[:len(code)]
	for i := 0; i < len(code); i++ {
		b[i] = lowerByte(code[i])
	}
	c, ok := serviceCodes[string(b)]
	return c, ok
}
