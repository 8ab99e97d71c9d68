//! Benchmark: time to redact a 2,000-character opinion (target: under 1 ms on the server).
//! Run with `cargo run --release -p redact --example redact_bench`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use redact::{find_warnings, redact};

/// A realistic opinion of exactly 2,000 characters: Chinese prose with amounts, dates, counts,
/// a phone number, an ID number, a bank card and a WeChat id spread through it.
fn opinion() -> String {
    let pieces = [
        "村里修路的钱去年说是20万元,到现在路面还是坑坑洼洼,下雨天老人孩子出门都很难。",
        "2023年5月6日开会时王书记说年底前一定修好,可是960份意见表收上去以后就没有下文了。",
        "有事可以打我电话 138 1234 5678,或者加微信号 zhangsan_1988 联系。",
        "我的身份证号是11010519491231002X,低保申请交了三次材料都说不全。",
        "补贴打到卡号 6222 0202 0000 1234 562 上面,金额和公示的对不上,差了1,500元。",
        "希望领导小组认真核查,把账目公开,给群众一个明白。",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.chars().count() < 2000 {
        text.push_str(pieces[i % pieces.len()]);
        i += 1;
    }
    text.chars().take(2000).collect()
}

fn main() {
    let text = opinion();
    let rounds = 2_000;
    let mut times: Vec<Duration> = Vec::with_capacity(rounds);
    for _ in 0..100 {
        black_box(redact(black_box(&text)));
    }
    for _ in 0..rounds {
        let started = Instant::now();
        let redacted = redact(black_box(&text));
        let warnings = find_warnings(black_box(&text));
        times.push(started.elapsed());
        black_box((redacted, warnings));
    }
    times.sort();
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let mean = times.iter().map(|d| micros(*d)).sum::<f64>() / rounds as f64;
    let masked = redact(&text).total();
    println!(
        "redact + warnings, 2,000-character opinion ({masked} identifiers masked), {rounds} rounds:"
    );
    println!(
        "  mean {mean:.1} µs   p50 {:.1} µs   p99 {:.1} µs   max {:.1} µs",
        micros(times[rounds / 2]),
        micros(times[rounds * 99 / 100]),
        micros(times[rounds - 1])
    );
    println!("  target: under 1000 µs per opinion");
}
