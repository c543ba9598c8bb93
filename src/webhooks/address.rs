//! Where a webhook may be sent (server-side request forgery): `https` to public addresses
//! only, checked when the endpoint is registered and again at each delivery after the name
//! is resolved, and the connection made to the addresses checked, never to a name resolved
//! again. The operator may allow private networks and plain `http` (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`,
//! for tests and intranets). Pure but for `resolve`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

use crate::i18n::Text;

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                    // "this" network
        || a == 10                              // private
        || a == 127                             // loopback
        || (a == 100 && (64..128).contains(&b)) // shared (CGNAT; cloud metadata 100.100.100.200)
        || (a == 169 && b == 254)               // link-local (cloud metadata 169.254.169.254)
        || (a == 172 && (16..32).contains(&b))  // private
        || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)       // documentation
        || (a == 192 && b == 168)               // private
        || (a == 198 && (18..20).contains(&b))  // benchmarking
        || (a == 198 && b == 51 && c == 100)    // documentation
        || (a == 203 && b == 0 && c == 113)     // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || (s[0] & 0xfe00) == 0xfc00   // unique local
        || (s[0] & 0xffc0) == 0xfe80   // link-local
        || (s[0] & 0xffc0) == 0xfec0   // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00   // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible, deprecated
}

/// Whether a webhook may reach `ip` without the operator's leave.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn refused(fr: String, en: String) -> Text {
    Text::new(fr, en)
}

/// The URL, if it is one a webhook may be sent to (its scheme and, for an address written
/// as such, the address); a name is checked once resolved.
pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, Text> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        refused(
            format!("« {raw} » n'est pas une adresse web ({e})."),
            format!("\"{raw}\" is not a web address ({e})."),
        )
    })?;
    let scheme_ok = url.scheme() == "https" || (allow_private && url.scheme() == "http");
    if !scheme_ok {
        return Err(refused(
            "Un webhook part vers une adresse https:// (http:// seulement si l'exploitant permet les réseaux privés)."
                .into(),
            "A webhook goes to an https:// address (http:// only where the operator allows private networks).".into(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused(
            "L'adresse d'un webhook ne porte pas d'identifiants : le secret signe chaque envoi.".into(),
            "A webhook address carries no credentials: the secret signs each delivery.".into(),
        ));
    }
    let ip = match url.host() {
        None => {
            return Err(refused(
                "L'adresse n'a pas d'hôte.".into(),
                "The address has no host.".into(),
            ));
        }
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
    };
    if let Some(ip) = ip
        && !allow_private
        && !is_public(ip)
    {
        return Err(private(ip));
    }
    Ok(url)
}

fn private(ip: IpAddr) -> Text {
    refused(
        format!("L'adresse {ip} est privée, locale ou réservée : un webhook ne part que vers une adresse publique."),
        format!("Address {ip} is private, local or reserved: a webhook goes to public addresses only."),
    )
}

/// The addresses `url`'s host resolves to, all of them public (or any, with the operator's
/// leave): the ones to connect to.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, Text> {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(443);
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| {
            refused(
                format!("Le nom « {host} » ne se résout pas ({e})."),
                format!("The name \"{host}\" does not resolve ({e})."),
            )
        })?
        .collect();
    if found.is_empty() {
        return Err(refused(
            format!("Le nom « {host} » ne donne aucune adresse."),
            format!("The name \"{host}\" gives no address."),
        ));
    }
    if let Some(bad) = found.iter().find(|a| !allow_private && !is_public(a.ip())) {
        return Err(private(bad.ip()));
    }
    Ok(found)
}

/// At registration: the URL is one a webhook may go to, and its name resolves, to public
/// addresses only (without the operator's leave); else 422 on `url`.
pub async fn check_registration(raw: &str, allow_private: bool) -> crate::error::ApiResult<()> {
    let invalid = |why: Text| crate::error::ApiError::invalid("url", crate::error::ErrorCode::Invalid, why);
    let url = check_url(raw, allow_private).map_err(invalid)?;
    resolve(&url, allow_private).await.map(|_| ()).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_local_reserved_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
        ] {
            let ip: IpAddr = ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
            assert!(!is_public(ip), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "172.32.0.1",
            "100.63.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
            assert!(is_public(ip), "{ip}");
        }
    }

    #[test]
    fn only_https_to_public_addresses_without_the_operators_leave() {
        assert!(check_url("https://hooks.example.org/planaction", false).is_ok());
        for url in [
            "http://hooks.example.org/",
            "http://169.254.169.254/latest/meta-data/",
            "https://127.0.0.1/",
            "https://[::1]:8443/",
            "https://10.0.0.5/",
            "https://user:pass@hooks.example.org/",
            "ftp://hooks.example.org/",
            "pas une adresse",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
        }
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
    }
}
