package route53

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/kms"
	"github.com/kms53/kms53/emulator/store"
)

// ServicePrincipal is the principal Route 53 DNSSEC calls KMS as.
const ServicePrincipal = "dnssec-route53.amazonaws.com"

// kskRegion is the only region whose KMS keys Route 53 accepts for KSKs.
const kskRegion = "us-east-1"

// KMS is what Route 53 needs of KMS, called in-process with a kms.Request that names the
// principal: Route 53's service principal for its own calls, the API caller for "you and
// Route 53" checks. *kms.Service implements it.
type KMS interface {
	DescribeKey(rc *kms.Request, in *kms.DescribeKeyInput) (*kms.DescribeKeyOutput, error)
	GetPublicKey(rc *kms.Request, in *kms.GetPublicKeyInput) (*kms.GetPublicKeyOutput, error)
	Sign(rc *kms.Request, in *kms.SignInput) (*kms.SignOutput, error)
	CreateGrant(rc *kms.Request, in *kms.CreateGrantInput) (*kms.CreateGrantOutput, error)
	RetireGrant(rc *kms.Request, in *kms.RetireGrantInput) (*kms.RetireGrantOutput, error)
}

// Statuses of KSKs and of a zone's ServeSignature.
const (
	statusActive       = "ACTIVE"
	statusInactive     = "INACTIVE"
	statusActionNeeded = "ACTION_NEEDED"
	statusSigning      = "SIGNING"
	statusNotSigning   = "NOT_SIGNING"
)

// dnskeyTTL is the TTL of the DNSKEY RRset Route 53 serves.
const dnskeyTTL = 3600

var keyARNPattern = regexp.MustCompile(`^arn:aws:kms:([a-z0-9-]+):([0-9]{12}):key/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$`)

// invalidKMSArn is the error of every failed KMS check.
func invalidKMSArn(format string, args ...any) error {
	return awsproto.Errorf("InvalidKMSArn", format, args...)
}

// permissionText is AWS's recorded message for a key whose policy does not let the caller and
// Route 53 use it (AWS-BEHAVIOUR §2.4).
func permissionText(arn string) string {
	return fmt.Sprintf("The CMK with ARN '%s' did not grant all required permissions for DNSSEC usage. Please review your key-policy, "+
		"and verify that you and Route 53 have permissions to perform the following actions: DescribeKey, GetPublicKey, and Sign.", arn)
}

// kmsFailure turns a KMS error of a check into InvalidKMSArn naming the exact cause: which call,
// as which principal.
func kmsFailure(arn, action, principal string, err error) error {
	e := awsproto.As(err)
	switch e.Code {
	case "AccessDeniedException":
		return invalidKMSArn("%s Denied: kms:%s for %s.", permissionText(arn), action, principal)
	case "NotFoundException":
		return invalidKMSArn("The KMS key '%s' does not exist or is not visible to %s (%s).", arn, principal, e.Message)
	case "DisabledException":
		return invalidKMSArn("The KMS key '%s' is disabled.", arn)
	case "KMSInvalidStateException":
		return invalidKMSArn("The KMS key '%s' is not usable: %s", arn, e.Message)
	}
	return invalidKMSArn("KMS %s on '%s' as %s failed: %s: %s", action, arn, principal, e.Code, e.Message)
}

// checkedKey is what the checks of a KMS key learn.
type checkedKey struct {
	publicKey  []byte // DNSSEC X‖Y
	grantToken string
}

// checkKMSKey checks a KMS key for use as a KSK of zone z, as Route 53 does at
// CreateKeySigningKey and ActivateKeySigningKey: a full key ARN in us-east-1; DescribeKey,
// GetPublicKey and Sign allowed for Route 53 (as its service principal, with aws:SourceAccount
// and aws:SourceArn) and for the caller; a customer managed, Enabled, ECC_NIST_P256 SIGN_VERIFY
// key; and, with grant, a grant for Route 53 created with kms:GrantIsForAWSResource.
func (s *Service) checkKMSKey(rc *Request, z store.Zone, arn, kskName string, grant bool) (checkedKey, error) {
	m := keyARNPattern.FindStringSubmatch(arn)
	if m == nil {
		// UNVERIFIED text: whether AWS accepts alias ARNs is not documented; Terraform and the
		// docs always pass a key ARN.
		return checkedKey{}, invalidKMSArn("The KeyManagementServiceArn '%s' is not the ARN of a KMS key (arn:aws:kms:us-east-1:ACCOUNT:key/KEY-ID).", arn)
	}
	if m[1] != kskRegion {
		return checkedKey{}, invalidKMSArn("The customer managed key '%s' is in %s; DNSSEC signing needs a key in the US East (N. Virginia) Region (us-east-1).", arn, m[1])
	}
	r53 := s.asRoute53(rc, z)
	you := &kms.Request{Caller: rc.Caller, Region: kskRegion, ID: rc.ID}

	desc, err := s.kms.DescribeKey(r53, &kms.DescribeKeyInput{KeyID: arn})
	if err != nil {
		return checkedKey{}, kmsFailure(arn, "DescribeKey", ServicePrincipal, err)
	}
	md := desc.KeyMetadata
	switch {
	case md.KeyManager != "CUSTOMER":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' is an AWS managed key; DNSSEC signing needs a customer managed key.", arn)
	case md.KeySpec != "ECC_NIST_P256":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' has key spec %s; DNSSEC signing needs an asymmetric key with key spec ECC_NIST_P256.", arn, md.KeySpec)
	case md.KeyUsage != "SIGN_VERIFY":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' has key usage %s; DNSSEC signing needs key usage SIGN_VERIFY.", arn, md.KeyUsage)
	case md.KeyState == "Disabled":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' is disabled; DNSSEC signing needs an Enabled key.", arn)
	case md.KeyState == "PendingDeletion":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' is pending deletion; DNSSEC signing needs an Enabled key.", arn)
	case md.KeyState != "Enabled":
		return checkedKey{}, invalidKMSArn("The KMS key '%s' is in state %s; DNSSEC signing needs an Enabled key.", arn, md.KeyState)
	}
	pub, err := s.kms.GetPublicKey(r53, &kms.GetPublicKeyInput{KeyID: arn})
	if err != nil {
		return checkedKey{}, kmsFailure(arn, "GetPublicKey", ServicePrincipal, err)
	}
	key, err := dnskeyPublicKey(pub.PublicKey)
	if err != nil {
		return checkedKey{}, invalidKMSArn("The public key of KMS key '%s' is not a P-256 key: %v", arn, err)
	}
	probe := sha256.Sum256([]byte("kms53 DNSSEC key check"))
	if _, err := s.kms.Sign(r53, &kms.SignInput{KeyID: arn, Message: probe[:], MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256"}); err != nil {
		return checkedKey{}, kmsFailure(arn, "Sign", ServicePrincipal, err)
	}
	// "You and Route 53": the caller must be allowed the same calls. Sign is a dry run.
	if _, err := s.kms.DescribeKey(you, &kms.DescribeKeyInput{KeyID: arn}); err != nil {
		return checkedKey{}, kmsFailure(arn, "DescribeKey", rc.Caller.ARN, err)
	}
	if _, err := s.kms.GetPublicKey(you, &kms.GetPublicKeyInput{KeyID: arn}); err != nil {
		return checkedKey{}, kmsFailure(arn, "GetPublicKey", rc.Caller.ARN, err)
	}
	_, err = s.kms.Sign(you, &kms.SignInput{KeyID: arn, Message: probe[:], MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256", DryRun: true})
	if err != nil && awsproto.As(err).Code != "DryRunOperationException" {
		return checkedKey{}, kmsFailure(arn, "Sign", rc.Caller.ARN, err)
	}
	out := checkedKey{publicKey: key}
	if grant {
		// UNVERIFIED: the grant Route 53 creates is not documented; this one lets Route 53 use
		// the key for this zone only (SourceArn constraint) and retire the grant itself.
		g, err := s.kms.CreateGrant(r53, &kms.CreateGrantInput{
			KeyID:                    arn,
			GranteeServicePrincipal:  ServicePrincipal,
			RetiringServicePrincipal: ServicePrincipal,
			Operations:               []string{"DescribeKey", "GetPublicKey", "Sign"},
			Constraints:              &kms.GrantConstraints{SourceArn: zoneARN(z.ID)},
			Name:                     "route53-dnssec-" + z.ID + "-" + kskName,
		})
		if err != nil {
			if awsproto.As(err).Code == "AccessDeniedException" {
				return checkedKey{}, invalidKMSArn("%s Denied: kms:CreateGrant (with kms:GrantIsForAWSResource) for %s.", permissionText(arn), ServicePrincipal)
			}
			return checkedKey{}, kmsFailure(arn, "CreateGrant", ServicePrincipal, err)
		}
		out.grantToken = g.GrantToken
	}
	return out, nil
}

// asRoute53 is the KMS request context of Route 53's own calls for zone z.
func (s *Service) asRoute53(rc *Request, z store.Zone) *kms.Request {
	return kms.AsService(ServicePrincipal, z.Account, kskRegion, zoneARN(z.ID), rc.ID)
}

// retireGrant retires Route 53's grant for a KSK; a grant already revoked is no error.
func (s *Service) retireGrant(rc *Request, z store.Zone, token string) {
	if token != "" {
		_, _ = s.kms.RetireGrant(s.asRoute53(rc, z), &kms.RetireGrantInput{GrantToken: token})
	}
}

// kmsSigner is a crypto.Signer whose signatures KMS makes, as Route 53, with a KSK's key: the
// same path for the DNSKEY RRset's RRSIGs as for Route 53's re-signing, so a key Route 53 can no
// longer use really stops signing.
type kmsSigner struct {
	kms KMS
	rc  *kms.Request
	arn string
	pub crypto.PublicKey
}

func (k kmsSigner) Public() crypto.PublicKey { return k.pub }

// Sign asks KMS to sign a SHA-256 digest (MessageType DIGEST) and returns its DER signature.
func (k kmsSigner) Sign(_ io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	out, err := k.kms.Sign(k.rc, &kms.SignInput{KeyID: k.arn, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256"})
	if err != nil {
		return nil, err
	}
	return out.Signature, nil
}

// ecdsaPublicKey rebuilds a P-256 public key from its DNSSEC form.
func ecdsaPublicKey(xy []byte) (*ecdsa.PublicKey, error) {
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append([]byte{4}, xy...))
}

// DNSKEYs returns a zone's DNSKEY RRset: the ZSK and every ACTIVE KSK.
func DNSKEYs(z store.Zone) []dns.RR {
	var out []dns.RR
	if z.DNSSEC.ZSK != nil {
		if pub, ok := z.DNSSEC.ZSK.Public().(*ecdsa.PublicKey); ok {
			if b, err := pub.Bytes(); err == nil {
				out = append(out, dnskeyRR(z.Name, zskFlags, b[1:]))
			}
		}
	}
	for _, k := range z.KSKs {
		if k.Status == statusActive {
			out = append(out, dnskeyRR(z.Name, kskFlags, k.PublicKey))
		}
	}
	return out
}

func dnskeyRR(zone string, flags uint16, key []byte) *dns.DNSKEY {
	return &dns.DNSKEY{
		Hdr:   dns.RR_Header{Name: zone, Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: dnskeyTTL},
		Flags: flags, Protocol: dnssecProtocol, Algorithm: algECDSAP256,
		PublicKey: kskValues(zone, key).PublicKey,
	}
}

// resign re-signs a zone's DNSKEY RRset with every ACTIVE KSK through KMS, as Route 53 does on
// every KSK and DNSSEC call and every re-sign interval. A KSK whose key Route 53 can no longer
// use turns ACTION_NEEDED with the cause as its StatusMessage. The last good signatures stay
// (and are served) until they expire.
func (s *Service) resign(rc *Request, zoneID string) error {
	z, err := s.store.Zone(zoneID)
	if err != nil {
		return err
	}
	zsk := z.DNSSEC.ZSK
	if zsk == nil {
		if zsk, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return err
		}
		z.DNSSEC.ZSK = zsk
	}
	now := s.now()
	keys := DNSKEYs(z)
	failed := map[string]string{} // KSK name -> cause
	var sigs []string
	r53 := s.asRoute53(rc, z)
	for _, k := range z.KSKs {
		if k.Status != statusActive {
			continue
		}
		if cause := s.usable(r53, k); cause != "" {
			failed[k.Name] = cause
			continue
		}
		pub, err := ecdsaPublicKey(k.PublicKey)
		if err != nil {
			failed[k.Name] = err.Error()
			continue
		}
		sig := &dns.RRSIG{
			Hdr:        dns.RR_Header{Name: z.Name, Rrtype: dns.TypeRRSIG, Class: dns.ClassINET, Ttl: dnskeyTTL},
			Algorithm:  algECDSAP256,
			OrigTtl:    dnskeyTTL,
			Expiration: uint32(now.Add(s.validity).Unix()),
			Inception:  uint32(now.Add(-time.Hour).Unix()),
			KeyTag:     keyTag(dnskeyRDATA(kskFlags, k.PublicKey)),
			SignerName: z.Name,
		}
		if err := sig.Sign(kmsSigner{s.kms, r53, k.KMSArn, pub}, keys); err != nil {
			failed[k.Name] = signFailure(err)
			continue
		}
		sigs = append(sigs, sig.String())
	}
	_, err = s.store.UpdateZone(zoneID, func(cur *store.Zone) error {
		if cur.DNSSEC.ZSK == nil {
			cur.DNSSEC.ZSK = zsk
		}
		for i, k := range cur.KSKs {
			if cause, ok := failed[k.Name]; ok && k.Status == statusActive {
				cur.KSKs[i].Status, cur.KSKs[i].StatusMessage, cur.KSKs[i].ModifiedAt = statusActionNeeded, cause, now
			}
		}
		if len(sigs) > 0 || len(failed) == 0 {
			// The RRset and its signatures are kept together: when every KSK fails, the last
			// good pair stays, and is served until its signatures expire.
			cur.DNSSEC.DNSKEYs = cur.DNSSEC.DNSKEYs[:0]
			for _, k := range keys {
				cur.DNSSEC.DNSKEYs = append(cur.DNSSEC.DNSKEYs, k.String())
			}
			cur.DNSSEC.DNSKEYSigs = sigs
		}
		cur.DNSSEC.SignedAt = now
		return nil
	})
	return err
}

// usable checks, as Route 53, that a KSK's key is still enabled and usable for signing; it
// returns the cause when it is not.
func (s *Service) usable(r53 *kms.Request, k store.KSK) string {
	desc, err := s.kms.DescribeKey(r53, &kms.DescribeKeyInput{KeyID: k.KMSArn})
	if err != nil {
		return signFailure(err)
	}
	switch desc.KeyMetadata.KeyState {
	case "Enabled":
		return ""
	case "PendingDeletion":
		return fmt.Sprintf("The KMS key %s is pending deletion. Cancel the deletion, enable the key, then activate the KSK.", k.KMSArn)
	}
	return fmt.Sprintf("The KMS key %s is %s. Enable the key, then activate the KSK.", k.KMSArn, strings.ToLower(desc.KeyMetadata.KeyState))
}

// signFailure describes a KMS error met while re-signing, for a KSK's StatusMessage.
func signFailure(err error) string {
	var e *awsproto.Error
	if !errors.As(err, &e) {
		return "Route 53 could not sign with the KMS key: " + err.Error()
	}
	switch e.Code {
	case "AccessDeniedException":
		return "Route 53 lost access to the KMS key: " + e.Message + ". Restore the key policy statement or grant, then activate the KSK."
	case "NotFoundException":
		return "The KMS key no longer exists: " + e.Message + "."
	case "DisabledException":
		return "The KMS key is disabled: " + e.Message + " Enable the key, then activate the KSK."
	case "KMSInvalidStateException":
		return "The KMS key is not usable: " + e.Message + " Cancel the deletion, enable the key, then activate the KSK."
	}
	return "Route 53 could not sign with the KMS key: " + e.Code + ": " + e.Message
}

// SignedZone returns a zone for serving, re-signed first if its re-sign interval has passed on
// the clock (the DNS server reads zones through it).
func (s *Service) SignedZone(id string) (store.Zone, error) {
	z, err := s.store.Zone(id)
	if err != nil {
		return store.Zone{}, err
	}
	return s.resignIfDue(&Request{ID: s.ids.UUID()}, z)
}

// ResignAt is when a zone is next due to be re-signed; zero when it has no active KSK.
func (s *Service) ResignAt(z store.Zone) time.Time {
	if !hasActiveKSK(z) {
		return time.Time{}
	}
	return z.DNSSEC.SignedAt.Add(s.resignInterval)
}

// resignIfDue re-signs a zone whose re-sign interval has passed on the clock. It is how zones
// notice, lazily, that a key broke: there are no background goroutines.
func (s *Service) resignIfDue(rc *Request, z store.Zone) (store.Zone, error) {
	if !hasActiveKSK(z) || s.now().Before(z.DNSSEC.SignedAt.Add(s.resignInterval)) {
		return z, nil
	}
	if err := s.resign(rc, z.ID); err != nil {
		return store.Zone{}, err
	}
	return s.store.Zone(z.ID)
}

func hasActiveKSK(z store.Zone) bool {
	for _, k := range z.KSKs {
		if k.Status == statusActive {
			return true
		}
	}
	return false
}

// serveSignature is a zone's DNSSECStatus.ServeSignature: NOT_SIGNING, SIGNING, or
// ACTION_NEEDED while it signs with a KSK that needs action.
func serveSignature(z store.Zone) string {
	if !z.DNSSEC.Signing {
		return statusNotSigning
	}
	for _, k := range z.KSKs {
		if k.Status == statusActionNeeded {
			return statusActionNeeded
		}
	}
	return statusSigning
}
