package client

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// ServeDNS serves h over UDP and TCP on the same address and returns the address and a stop
// function; it returns once both servers listen. With port 0, it picks a port free for both
// protocols (retrying when another process holds the TCP side of the port UDP got).
func ServeDNS(addr string, h dns.Handler) (string, func(), error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, err
	}
	var pc net.PacketConn
	var ln net.Listener
	for attempt := 0; ; attempt++ {
		if pc, err = net.ListenPacket("udp", addr); err != nil {
			return "", nil, err
		}
		ln, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		if port != "0" || attempt == 20 || !errors.Is(err, syscall.EADDRINUSE) {
			return "", nil, err
		}
	}
	servers := []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}}
	for _, s := range servers {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go func() { _ = s.ActivateAndServe() }()
		<-started
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, s := range servers {
			_ = s.ShutdownContext(ctx)
		}
	}
	return pc.LocalAddr().String(), stop, nil
}
