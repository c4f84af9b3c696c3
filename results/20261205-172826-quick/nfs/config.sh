# nfs: the guest kernel's NFS client (NFSv4.2 over TCP) to NFS-Ganesha, a
# user-space NFS server with its VFS backend, exporting the run's export
# directory; all traffic stays in a network namespace of the run's own.
# Mount options match hlinkfs's coherence defaults: attributes cached for
# 1 s (actimeo=1), close-to-open, writes cached and written back (async).
CFG_DESC="kernel NFSv4.2 client to NFS-Ganesha (VFS backend), actimeo=1, in a private network namespace"
cfg_check() { hlink_need ganesha.nfsd nsenter ip mount.nfs4 && hlink_net_check; }
cfg_prepare() {
	hlink_netns_up || return 1
	mkdir -p "$RUN/ganesha"
	cat >"$RUN/ganesha.conf" <<CONF
NFS_CORE_PARAM {
	Protocols = 4;
	Bind_addr = $HLINK_NET_HOST;
	Enable_NLM = false;
	Enable_RQUOTA = false;
}
NFSV4 {
	Graceless = true;
	RecoveryBackend = fs;
	RecoveryRoot = "$RUN/ganesha";
	Allow_Numeric_Owners = true;
	Only_Numeric_Owners = true;
}
EXPORT {
	Export_Id = 1;
	Path = "$RUN/export";
	Pseudo = /export;
	Access_Type = RW;
	Squash = No_Root_Squash;
	SecType = sys;
	Protocols = 4;
	Transports = TCP;
	FSAL { Name = VFS; }
}
CONF
	hlink_spawn ganesha "${HLINK_IN_NETNS[@]}" ganesha.nfsd -F -f "$RUN/ganesha.conf" \
		-L "$RUN/ganesha.log" -p "$RUN/ganesha.pid" -N NIV_EVENT
	hlink_wait_port ganesha 2049
}
cfg_bootargs() { hlink_net_bootargs; }
cfg_guest_mount() {
	echo "$(hlink_net_guest_up) && mount -t nfs4 -o vers=4.2,proto=tcp,actimeo=1,hard $HLINK_NET_HOST:/export \"\$HLINK_MNT\""
}
cfg_teardown() { hlink_netns_down; }
