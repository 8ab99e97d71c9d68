//! The one stylesheet, inlined into every page so the first render needs no second request.

/// Mobile-first styles: large type and touch targets, high contrast, no web fonts.
pub const CSS: &str = "\
*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%}\
body{margin:0;font:18px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1a1a1a;background:#f6f4ef}\
header.top{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;background:#9e1b1b;color:#fff}\
header.top a{color:#fff;text-decoration:none;padding:.5rem 0;min-height:44px;display:inline-flex;align-items:center}\
.brand{font-weight:700;font-size:1.2rem}\
main{max-width:40rem;margin:0 auto;padding:1rem}\
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem}\
h2{font-size:1.15rem;margin:1rem 0 .5rem}\
a{color:#0b4fa3}\
.receiver{background:#fff;border-left:4px solid #9e1b1b;padding:.75rem 1rem;margin:0 0 1rem}\
.notice{background:#fff;padding:.75rem 1rem;margin:0 0 1rem;border-radius:6px}\
.notice summary{cursor:pointer;font-weight:600;min-height:44px;display:flex;align-items:center}\
.notice ul{margin:.25rem 0;padding-left:1.25rem}\
fieldset{border:0;padding:0;margin:0 0 1rem}\
legend,.field-label{display:block;font-weight:700;margin:.75rem 0 .5rem}\
.categories{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}\
.categories legend{grid-column:1/-1}\
.category{display:flex;align-items:center;gap:.4rem;background:#fff;border:2px solid #ccc;border-radius:8px;padding:.6rem;min-height:52px}\
.category:has(input:checked){border-color:#9e1b1b;background:#fff4f2}\
.category input{width:1.3rem;height:1.3rem;margin:0}\
textarea,input[type=text],input[type=password],select{width:100%;font:inherit;padding:.6rem;border:2px solid #888;border-radius:6px;background:#fff;color:#1a1a1a}\
textarea:focus,input:focus,select:focus{outline:3px solid #0b4fa3;outline-offset:1px}\
.hint{color:#4a4a4a;font-size:.95rem;margin:.25rem 0}\
.button{display:inline-block;width:100%;margin:1rem 0;padding:.8rem 1rem;font:inherit;font-weight:700;text-align:center;color:#fff;background:#9e1b1b;border:0;border-radius:8px;min-height:52px;text-decoration:none;cursor:pointer}\
.button[disabled]{background:#777}\
.button.secondary{background:#fff;color:#9e1b1b;border:2px solid #9e1b1b}\
.error{color:#a00000;background:#fff0f0;border:1px solid #e0a0a0;padding:.6rem;border-radius:6px}\
.warning{color:#6b3f00;background:#fff6e0;border:1px solid #e0b060;padding:.6rem;border-radius:6px}\
input[type=file]{width:100%;font:inherit;padding:.5rem 0;min-height:48px}\
.photos{display:flex;flex-wrap:wrap;gap:.5rem}.photos img{max-width:100%;height:auto;border:1px solid #ccc;border-radius:6px}\
.ok{color:#135e13;background:#effaef;border:1px solid #9bd09b;padding:.6rem;border-radius:6px}\
.receipt{background:#fff;padding:1rem;border-radius:8px;text-align:center}\
.receipt .code{font:700 2rem/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;word-spacing:.3em;margin:.5rem 0;color:#111}\
.receipt .advice{background:#fff8d6;padding:.6rem;border-radius:6px;text-align:left}\
.receipt-input{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.1em}\
.status{background:#fff;padding:1rem;border-radius:8px;margin-bottom:1rem}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}\
dt{font-weight:700}dd{margin:0}\
.reply{background:#eef5ff;padding:.75rem;border-radius:6px;white-space:pre-wrap}\
.narrow{max-width:24rem}\
.staff-nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:.5rem}\
.staff-nav .who{margin-left:auto;color:#4a4a4a}\
form.inline{display:inline}\
button.link{background:none;border:0;color:#0b4fa3;font:inherit;text-decoration:underline;cursor:pointer;min-height:44px}\
.queue{list-style:none;padding:0;margin:0}\
.code-block{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all;background:#fff;padding:.5rem;border-radius:6px}\
.filters label{display:inline-block;margin:.25rem .75rem .25rem 0}.filters select,.filters input[type=date],.filters input[type=search]{font:inherit;padding:.4rem;border:2px solid #888;border-radius:6px;width:auto}\
.filters label,.filters select{max-width:100%}.url{overflow-wrap:anywhere}\
.state-counts .badge{display:inline-block;text-decoration:none;color:#1a1a1a;margin:.15rem 0}\
.table-scroll{overflow-x:auto}.counts{border-collapse:collapse;background:#fff;min-width:100%}\
.counts th,.counts td{border:1px solid #ccc;padding:.4rem .6rem;text-align:right;white-space:nowrap}.counts th[scope=row]{text-align:left}\
input[type=number]{width:100%;font:inherit;padding:.6rem;border:2px solid #888;border-radius:6px}\
.queue .row{background:#fff;border-radius:8px;padding:.75rem 1rem;margin:0 0 .75rem}\
.queue .meta{margin:0;font-size:.95rem;color:#333}\
.queue .excerpt{margin:.25rem 0;white-space:pre-wrap}\
.badge{display:inline-block;padding:0 .5rem;border-radius:4px;background:#eee;font-size:.9rem}\
.state-new .badge,.badge.state-new{background:#ffe1d6}.state-accepted .badge,.state-assigned .badge,.state-rectifying .badge,.badge.state-accepted,.badge.state-assigned,.badge.state-rectifying{background:#fff2c2}.state-rejected .badge,.badge.state-rejected{background:#e4e4e4}.badge.overdue{background:#a00000;color:#fff}.state-closed .badge,.badge.state-closed,.badge.done{background:#d9f2d9}\
.opinion-text{background:#fff;margin:1rem 0;padding:1rem;border-left:4px solid #888;white-space:pre-wrap}\
.links{display:flex;flex-wrap:wrap;gap:.5rem 1rem}\
.screening div{background:#fff;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}\
.screening ul{margin:.25rem 0;padding-left:1.25rem}\
.screening p{margin:.25rem 0}\
.warned{border-left:4px solid #b36b00}.masked-preview{border-left:4px solid #135e13}\
mark{background:#fff2a8;color:#1a1a1a;padding:0 .15em}\
.confirm{font-weight:700}\
.identity .check{display:flex;align-items:center;gap:.5rem;min-height:44px;font-weight:700}\
.identity .check input{width:1.3rem;height:1.3rem}\
.badge.named{background:#dbe8ff}\
.contact{background:#eef5ff;padding:.6rem;border-radius:6px}\
.thread ol{list-style:none;padding:0;margin:0}\
.thread li{background:#fff;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}\
.thread .from-staff{border-left:4px solid #9e1b1b}.thread .from-resident{border-left:4px solid #0b4fa3}\
.thread .meta{margin:0;font-size:.9rem;color:#4a4a4a}.thread .body{margin:.25rem 0;white-space:pre-wrap}\
.badge.merged{background:#dbe8ff;color:#0b4fa3}.queue .merged{margin:0 0 .25rem}\
.pick{display:flex;align-items:flex-start;gap:.5rem;min-height:44px;cursor:pointer}.pick input{width:1.3rem;height:1.3rem;margin:.25rem 0 0;flex:none}\
input[type=date]{font:inherit;padding:.6rem;border:2px solid #888;border-radius:6px;background:#fff;color:#1a1a1a}\
.issue-title{margin:.25rem 0;font-weight:700}\
.similar-group{border-left:4px solid #0b4fa3;padding-left:.75rem;margin:1rem 0 2rem}\
.ledger-sentence{font-size:1.2rem;font-weight:700;background:#fff;border-left:4px solid #9e1b1b;padding:.75rem 1rem;margin:1rem 0}\
.ledger{border-collapse:collapse;background:#fff;min-width:48rem;font-size:.95rem}\
.ledger th,.ledger td{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}.ledger thead th{white-space:nowrap;background:#f0ede6}\
fieldset.subject{border:2px solid #d8d2c4;border-radius:.5rem;background:#fff;margin:1rem 0;padding:.5rem .75rem}\
fieldset.subject legend{font-size:1.2rem;font-weight:700;padding:0 .3rem}\
.appraisal .item{padding:.5rem 0;border-top:1px solid #eee}.appraisal .item.missing{background:#fff3f3;border-left:4px solid #b00020;padding-left:.5rem}\
.question{font-size:1.1rem;margin:.3rem 0}\
.faces{display:grid;grid-template-columns:repeat(4,1fr);gap:.4rem}\
.face{display:flex;flex-direction:column;align-items:center;border:2px solid #ccc;border-radius:.6rem;padding:.4rem .2rem;min-height:4.2rem;cursor:pointer;text-align:center;background:#fafafa}\
.face input{position:absolute;opacity:0;width:1px;height:1px}.face .icon{font-size:2rem;line-height:1.1}.face .word{font-size:.95rem}\
.face:has(input:checked){border-color:#0b4fa3;background:#e3edfb;box-shadow:0 0 0 2px #0b4fa3}.face:has(input:focus-visible){outline:3px solid #f2b705}\
.button.big{font-size:1.2rem;padding:.9rem 1.5rem;width:100%}\
.choices{border:1px solid #ddd;border-radius:.4rem;margin:.5rem 0;max-height:16rem;overflow:auto}\
.chart{max-width:40rem;background:#fff;border:1px solid #ddd;margin:.5rem 0}\
.change-code .code{font-family:monospace;font-size:1.1rem;word-break:break-all}\
.notice-article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}\
.preview{border-left:4px solid #9e1b1b;padding-left:.5rem}\
.board-qr{text-align:center;margin:1rem 0}.board-qr svg{width:45mm;height:45mm}\
@media print{@page{size:A4;margin:15mm}header.top,.no-print,.staff-nav{display:none}body{background:#fff}\
.notice-article{border:0;break-inside:avoid}.board-qr{break-inside:avoid}}\
.read-aloud{font:inherit;font-size:.95rem;color:#fff;background:transparent;border:1px solid #fff;border-radius:6px;padding:.3rem .6rem;min-height:44px;cursor:pointer}\
";

/// The printable A4 poster: who asks, what for, the privacy promise and a large QR code.
pub const POSTER_CSS: &str = "@page{size:A4;margin:15mm}body.poster{font-family:system-ui,sans-serif;text-align:center;margin:0 auto;padding:0 4mm;max-width:180mm;color:#111}\
.poster h1{font-size:30pt;margin:8mm 0 2mm}.poster h2{font-size:24pt;margin:0 0 6mm}.scan{font-size:18pt;margin:0 0 6mm}\
.qr svg{width:min(150mm,100%);height:auto;aspect-ratio:1}.url{font-size:10pt;color:#444;word-break:break-all}.promise{font-size:16pt;border:2px solid #b00;padding:4mm;border-radius:3mm}\
@media print{.no-print{display:none}}";

/// Two columns by four rows of slips per A4 page, with cut lines.
pub const SLIPS_CSS: &str = "@page{size:A4;margin:8mm}body.slips{font-family:system-ui,sans-serif;margin:0;color:#111}\
.sheet{display:grid;grid-template-columns:1fr 1fr;gap:0}\
.slip{border:1px dashed #888;height:68mm;padding:3mm;box-sizing:border-box;text-align:center;break-inside:avoid;overflow:hidden}\
.slip h2{font-size:11pt;margin:0}.slip h3{font-size:10pt;margin:1mm 0}.slip .qr{width:36mm;height:36mm;image-rendering:pixelated}\
.slip .scan{font-size:11pt;margin:0;font-weight:bold}.slip .url{font-size:6.5pt;color:#444;word-break:break-all;margin:0.5mm 0}\
.slip .once{font-size:7.5pt;margin:0}body.slips h1{font-size:14pt;margin:2mm}\
@media print{.no-print{display:none}}";

/// Every stylesheet written inline into a page, for the Content-Security-Policy's hashes.
pub const INLINE_STYLES: [&str; 3] = [CSS, POSTER_CSS, SLIPS_CSS];
