package route53

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// GetChangeOutput is the GetChangeResponse document.
type GetChangeOutput struct {
	XMLName xml.Name `xml:"GetChangeResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// GetChange reports a change: PENDING until the propagation delay has passed on the clock,
// INSYNC after.
func (s *Service) GetChange(rc *Request, id string) (*GetChangeOutput, error) {
	id = strings.TrimPrefix(id, "/change/")
	var c awsproto.Checks
	c.Length("id", id, 1, 6500)
	if err := c.ErrCode("InvalidInput"); err != nil {
		return nil, err
	}
	ch, err := s.store.Change(id)
	if err != nil || ch.Account != rc.Caller.Account {
		// UNVERIFIED text; the code and status are the model's.
		return nil, awsproto.ErrorStatus(http.StatusNotFound, "NoSuchChange", "A change with the specified change ID %s does not exist.", id)
	}
	if err := s.authorize(rc, "route53:GetChange", "arn:aws:route53:::change/"+ch.ID, nil); err != nil {
		return nil, err
	}
	return &GetChangeOutput{xmlns: ns, ChangeInfo: ChangeInfo{
		ID: "/change/" + ch.ID, Status: s.changeStatus(ch), SubmittedAt: Timestamp(ch.SubmittedAt), Comment: ch.Comment,
	}}, nil
}
