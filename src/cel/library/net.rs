//! The Kubernetes IP and CIDR libraries: `ip("10.0.0.1")`, `isIP`, `ip.isCanonical`,
//! `cidr("10.0.0.0/8")`, `isCIDR`, and their methods. Addresses are parsed as Go's
//! `netip.ParseAddr` does, and, as Kubernetes requires, without zones and without IPv4-mapped
//! IPv6 forms.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cel::Env;
use cel::common::types::STRING_TYPE;

use super::fail;
use super::support::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Ip(pub IpAddr);

#[derive(Clone, Debug, PartialEq)]
pub struct Cidr {
    pub address: IpAddr,
    pub prefix: u8,
}

library_type!(Ip, IP_TYPE, "net.IP");
library_type!(Cidr, CIDR_TYPE, "net.CIDR");

fn parse_ip(text: &str) -> Result<IpAddr, String> {
    if text.contains('%') {
        return Err(format!("IP address with zone value is not allowed: {text:?}"));
    }
    let address: IpAddr =
        text.parse().map_err(|_| format!("IP Address {text:?} parse error during conversion from string"))?;
    if let IpAddr::V6(v6) = address
        && v6.to_ipv4_mapped().is_some()
    {
        return Err(format!("IPv4-mapped IPv6 address {text:?} is not allowed"));
    }
    Ok(address)
}

fn parse_cidr(text: &str) -> Result<Cidr, String> {
    let (address, prefix) = text
        .split_once('/')
        .ok_or_else(|| format!("network address parse error during conversion from string: {text:?} has no '/'"))?;
    let address = parse_ip(address)?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let well_formed =
        !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) && (prefix == "0" || !prefix.starts_with('0'));
    let prefix: u8 = prefix.parse().ok().filter(|p| well_formed && *p <= max).ok_or_else(|| {
        format!("network address parse error during conversion from string: bad prefix length in {text:?}")
    })?;
    Ok(Cidr { address, prefix })
}

fn is_canonical(text: &str) -> Result<bool, String> {
    Ok(parse_ip(text)?.to_string() == text)
}

fn masked(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

impl Cidr {
    fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.address.is_ipv4() && masked(address, self.prefix) == masked(self.address, self.prefix)
    }

    fn contains_cidr(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && self.contains(other.address)
    }
}

/// Go's `net.IP.IsGlobalUnicast`: anything but the unspecified, loopback, multicast,
/// link-local and limited broadcast addresses; private ranges count as global.
fn is_global_unicast(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            !(v4.is_unspecified() || v4.is_loopback() || v4.is_multicast() || v4.is_link_local() || v4.is_broadcast())
        }
        IpAddr::V6(v6) => !(v6.is_unspecified() || v6.is_loopback() || v6.is_multicast() || is_link_local_v6(v6)),
    }
}

fn is_link_local_v6(v6: Ipv6Addr) -> bool {
    v6.segments()[0] & 0xffc0 == 0xfe80
}

fn is_link_local_multicast(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.octets()[0] == 0xff && v6.octets()[1] & 0x0f == 0x02,
    }
}

pub fn display_ip(ip: &Ip) -> String {
    format!("ip({:?})", ip.0.to_string())
}

pub fn display_cidr(cidr: &Cidr) -> String {
    format!("cidr(\"{}/{}\")", cidr.address, cidr.prefix)
}

pub fn declare(env: &mut Env) {
    global(env, "ip", vec![STRING_TYPE], |args| value(Ip(parse_ip(string_arg(&args, 0)?).map_err(fail)?)));
    global(env, "isIP", vec![STRING_TYPE], |args| boolean(parse_ip(string_arg(&args, 0)?).is_ok()));
    global(env, "ip.isCanonical", vec![STRING_TYPE], |args| {
        boolean(is_canonical(string_arg(&args, 0)?).map_err(fail)?)
    });
    global(env, "string", vec![IP_TYPE], |args| string(arg::<Ip>(&args, 0)?.0.to_string()));
    let ip = || IP_TYPE;
    member(env, "family", ip(), vec![], |args| int(if arg::<Ip>(&args, 0)?.0.is_ipv4() { 4 } else { 6 }));
    member(env, "isUnspecified", ip(), vec![], |args| boolean(arg::<Ip>(&args, 0)?.0.is_unspecified()));
    member(env, "isLoopback", ip(), vec![], |args| boolean(arg::<Ip>(&args, 0)?.0.is_loopback()));
    member(env, "isLinkLocalMulticast", ip(), vec![], |args| boolean(is_link_local_multicast(arg::<Ip>(&args, 0)?.0)));
    member(env, "isLinkLocalUnicast", ip(), vec![], |args| {
        boolean(match arg::<Ip>(&args, 0)?.0 {
            IpAddr::V4(v4) => v4.is_link_local(),
            IpAddr::V6(v6) => is_link_local_v6(v6),
        })
    });
    member(env, "isGlobalUnicast", ip(), vec![], |args| boolean(is_global_unicast(arg::<Ip>(&args, 0)?.0)));

    global(env, "cidr", vec![STRING_TYPE], |args| value(parse_cidr(string_arg(&args, 0)?).map_err(fail)?));
    global(env, "isCIDR", vec![STRING_TYPE], |args| boolean(parse_cidr(string_arg(&args, 0)?).is_ok()));
    global(env, "string", vec![CIDR_TYPE], |args| {
        let cidr = arg::<Cidr>(&args, 0)?;
        string(format!("{}/{}", cidr.address, cidr.prefix))
    });
    let cidr = || CIDR_TYPE;
    member(env, "containsIP", cidr(), vec![ip()], |args| {
        boolean(arg::<Cidr>(&args, 0)?.contains(arg::<Ip>(&args, 1)?.0))
    });
    member(env, "containsIP", cidr(), vec![STRING_TYPE], |args| {
        let address = parse_ip(string_arg(&args, 1)?).map_err(fail)?;
        boolean(arg::<Cidr>(&args, 0)?.contains(address))
    });
    member(env, "containsCIDR", cidr(), vec![cidr()], |args| {
        boolean(arg::<Cidr>(&args, 0)?.contains_cidr(arg::<Cidr>(&args, 1)?))
    });
    member(env, "containsCIDR", cidr(), vec![STRING_TYPE], |args| {
        let other = parse_cidr(string_arg(&args, 1)?).map_err(fail)?;
        boolean(arg::<Cidr>(&args, 0)?.contains_cidr(&other))
    });
    member(env, "ip", cidr(), vec![], |args| value(Ip(arg::<Cidr>(&args, 0)?.address)));
    member(env, "masked", cidr(), vec![], |args| {
        let this = arg::<Cidr>(&args, 0)?;
        value(Cidr { address: masked(this.address, this.prefix), prefix: this.prefix })
    });
    member(env, "prefixLength", cidr(), vec![], |args| int(i64::from(arg::<Cidr>(&args, 0)?.prefix)));
}
