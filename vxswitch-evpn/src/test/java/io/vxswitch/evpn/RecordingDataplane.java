package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.Addresses;
import io.vxswitch.packet.MacAddress;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A dataplane that keeps what it was told: flood VTEPs and remote MACs per VNI, and the calls in order. */
final class RecordingDataplane implements EvpnDataplane {
    final Map<Integer, Set<InetAddress>> flood = new ConcurrentHashMap<>();
    final Map<String, String> remoteMacs = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void addFloodVtep(int vni, InetAddress vtep) {
        flood.computeIfAbsent(vni, v -> ConcurrentHashMap.newKeySet()).add(vtep);
        calls.add("flood+ " + vni + " " + vtep.getHostAddress());
    }

    @Override
    public void removeFloodVtep(int vni, InetAddress vtep) {
        flood.getOrDefault(vni, Set.of()).remove(vtep);
        calls.add("flood- " + vni + " " + vtep.getHostAddress());
    }

    @Override
    public void installRemoteMac(int vni, long mac, InetAddress vtep, long sequence) {
        remoteMacs.put(vni + " " + MacAddress.of(mac), vtep.getHostAddress() + " seq " + sequence);
        calls.add("mac+ " + vni + " " + MacAddress.of(mac) + " " + vtep.getHostAddress() + " seq " + sequence);
    }

    @Override
    public void removeRemoteMac(int vni, long mac) {
        remoteMacs.remove(vni + " " + MacAddress.of(mac));
        calls.add("mac- " + vni + " " + MacAddress.of(mac));
    }

    @Override
    public void bindAddress(int vni, InetAddress ip, long mac) {
        calls.add("bind " + vni + " " + Addresses.format(ip) + " " + MacAddress.of(mac));
    }

    @Override
    public void unbindAddress(int vni, InetAddress ip, long mac) {
        calls.add("unbind " + vni + " " + Addresses.format(ip) + " " + MacAddress.of(mac));
    }
}
