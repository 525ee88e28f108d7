use std::net::IpAddr;

use actix_web::{web, HttpRequest};
use ipnet::IpNet;

use crate::web::state::AppState;

/// The address rate limits are keyed on: the TCP peer, unless the peer is one of the configured
/// reverse proxies (`--trusted-proxies`), whose `X-Forwarded-For` then names the client. Anyone
/// can write that header, so it is believed only from them, and read from the right: each trusted
/// proxy appends the address it saw, and the first address from the right that is not a trusted
/// proxy is the client.
pub fn client_ip(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|addr| addr.ip()) else {
        return "unknown".to_owned();
    };
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.trusted_proxies.as_slice())
        .unwrap_or_default();
    forwarded_client(peer, trusted, forwarded_for(req).as_deref()).to_string()
}

/// Every `X-Forwarded-For` header, in order, as one list.
fn forwarded_for(req: &HttpRequest) -> Option<String> {
    let values: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn is_trusted(address: IpAddr, trusted: &[IpNet]) -> bool {
    let address = canonical(address);
    trusted.iter().any(|network| network.contains(&address))
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.7`) is that IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

fn forwarded_client(peer: IpAddr, trusted: &[IpNet], forwarded: Option<&str>) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let Some(forwarded) = forwarded else {
        return peer;
    };
    let mut client = peer;
    for entry in forwarded.rsplit(',') {
        // A malformed entry ends the chain: what lies left of it cannot be trusted either.
        let Ok(address) = entry.trim().parse::<IpAddr>() else {
            break;
        };
        client = address;
        if !is_trusted(address, trusted) {
            break;
        }
    }
    client
}

/// The network an address stands for when limits count people: an IPv4 address as it is, an IPv6
/// address by its /64 (one household or phone gets a whole /64, so single addresses are free).
pub fn network_of(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn networks(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|text| {
                text.parse::<IpNet>()
                    .unwrap_or_else(|_| IpNet::from(text.parse::<IpAddr>().unwrap()))
            })
            .collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies = networks(&["127.0.0.1", "10.0.0.0/8"]);
        // Not a proxy of ours: its header is anyone's to write.
        assert_eq!(
            forwarded_client(ip("203.0.113.9"), &proxies, Some("198.51.100.1")),
            ip("203.0.113.9")
        );
        // Through our proxy: the address it saw.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &proxies, Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        // A client that wrote its own header first cannot hide behind it.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &proxies, Some("1.2.3.4, 198.51.100.1")),
            ip("198.51.100.1")
        );
        // Through two proxies of ours.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &proxies, Some("198.51.100.1, 10.1.2.3")),
            ip("198.51.100.1")
        );
        // Nothing usable: the proxy itself.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &proxies, Some("not an address")),
            ip("127.0.0.1")
        );
        assert_eq!(
            forwarded_client(ip("::ffff:127.0.0.1"), &proxies, Some("2001:db8::1")),
            ip("2001:db8::1")
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &[], Some("198.51.100.1")),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_counts_by_its_64_and_ipv4_by_its_address() {
        assert_eq!(network_of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(network_of("2001:db8:1:2:bbbb:cccc::9"), "2001:db8:1:2::/64");
        assert_ne!(network_of("2001:db8:1:3::1"), network_of("2001:db8:1:2::1"));
        assert_eq!(network_of("192.0.2.7"), "192.0.2.7");
        assert_eq!(network_of("::ffff:192.0.2.7"), "192.0.2.7");
    }
}
