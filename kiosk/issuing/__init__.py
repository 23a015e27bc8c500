"""The kiosk's side of the centre: issuing tokens through the centre service, with a lease.

* :mod:`kiosk.issuing.leases` — the number blocks leased to this kiosk and the tokens issued
  from them that the centre has not accepted yet (plain SQL on the kiosk's own store).
* :mod:`kiosk.issuing.issuer` — :class:`~kiosk.issuing.issuer.CentreIssuer`: issue online,
  fall back to the lease, hand offline tokens over in issue order, keep the lease topped up.
* :mod:`kiosk.issuing.local` — where a centre service on this machine can be found
  (``<data_dir>/centre.url``) and the embedded one ``kiosk run`` starts when none is configured.

Nothing here imports Qt; the HTTP stack is loaded only by the link's own thread or the first
online issue, so a kiosk's cold start does not pay for it.
"""
