//! Every text a plot draws, with its box: a drawing backend that passes all drawing on to
//! another and records each text's extent by plotters' estimate, so that a native test can hold
//! every figure to "no text cut at the edge, no text over another". Test code only: the browser
//! tests (tests/browser/figures.test.mjs) measure the same in the canvas itself, so the page
//! carries none of it.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, FontTransform};
use plotters_backend::{DrawingBackend, DrawingErrorKind};
use std::cell::RefCell;
use std::rc::Rc;

/// A text's extent around its anchor point, unrotated, in backing pixels: how far it reaches
/// left, right, up and down.
pub type Extent = [f64; 4];

/// One drawn text and its box (x0, y0, x1, y1) in backing pixels.
#[derive(Clone, Debug)]
pub struct TextBox {
    pub text: String,
    pub rect: [f64; 4],
}

/// The recorded texts of one drawing, shared with the caller while the backend is inside a
/// drawing area.
pub type TextLog = Rc<RefCell<Vec<TextBox>>>;

/// A backend that draws with `inner` and logs every text's box.
pub struct TextCheck<B> {
    inner: B,
    log: TextLog,
}

impl<B: DrawingBackend> TextCheck<B> {
    /// Wraps `inner`; returns the backend and the log it fills.
    pub fn new(inner: B) -> (Self, TextLog) {
        let log = TextLog::default();
        (TextCheck { inner, log: log.clone() }, log)
    }
}

/// Plotters' own estimate of a text's extent (crude without font files).
fn estimated_extent<S: BackendTextStyle>(style: &S, text: &str) -> Extent {
    let ((x0, y0), (x1, y1)) = style.layout_box(text).unwrap_or(((0, 0), (0, 0)));
    let (w, h) = ((x1 - x0) as f64, (y1 - y0) as f64);
    let left = match style.anchor().h_pos {
        HPos::Left => 0.0,
        HPos::Center => w / 2.0,
        HPos::Right => w,
    };
    let up = match style.anchor().v_pos {
        VPos::Top => 0.0,
        VPos::Center => h / 2.0,
        VPos::Bottom => h,
    };
    [left, w - left, up, h - up]
}

/// The box of an extent drawn at `pos` under `transform` (the canvas turns the text about its
/// anchor: by 90 degrees (u, v) -> (-v, u), by 270 (v, -u), by 180 (-u, -v)).
fn rect(pos: BackendCoord, [left, right, up, down]: Extent, transform: FontTransform) -> [f64; 4] {
    let (x, y) = (pos.0 as f64, pos.1 as f64);
    match transform {
        FontTransform::None => [x - left, y - up, x + right, y + down],
        FontTransform::Rotate90 => [x - down, y - left, x + up, y + right],
        FontTransform::Rotate180 => [x - right, y - down, x + left, y + up],
        FontTransform::Rotate270 => [x - up, y - right, x + down, y + left],
    }
}

/// What is wrong with the texts of a `width` x `height` drawing: each text cut by an edge and
/// each pair drawn over each other (by more than a pixel either way), in CSS pixels at `scale`.
pub fn text_problems(texts: &[TextBox], width: u32, height: u32, scale: f64) -> Vec<String> {
    let tol = scale.max(1.0);
    let css = |v: f64| (v / scale).round();
    let mut out = Vec::new();
    for t in texts {
        let [x0, y0, x1, y1] = t.rect;
        let cuts = [("left", -x0), ("top", -y0), ("right", x1 - width as f64), ("bottom", y1 - height as f64)];
        for (edge, by) in cuts {
            if by > tol {
                out.push(format!("\"{}\" is cut at the {edge} edge by {} px", t.text, css(by)));
            }
        }
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            let w = a.rect[2].min(b.rect[2]) - a.rect[0].max(b.rect[0]);
            let h = a.rect[3].min(b.rect[3]) - a.rect[1].max(b.rect[1]);
            if w > tol && h > tol {
                out.push(format!("\"{}\" overlaps \"{}\" ({} x {} px)", a.text, b.text, css(w), css(h)));
            }
        }
    }
    out
}

impl<B: DrawingBackend> DrawingBackend for TextCheck<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 && !text.trim().is_empty() {
            let extent = estimated_extent(style, text);
            self.log.borrow_mut().push(TextBox { text: text.to_string(), rect: rect(pos, extent, style.transform()) });
        }
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.inner.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// The text problems of a drawing made natively at `size` backing pixels and `scale` (SVG,
/// texts measured by plotters' estimate): the tests of every plot hold it empty.
pub(crate) fn svg_text_problems(
    size: (u32, u32),
    scale: f64,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<TextCheck<plotters::prelude::SVGBackend>, plotters::coord::Shift>,
    ) -> Result<super::Frame, String>,
) -> Vec<String> {
    use plotters::prelude::IntoDrawingArea;
    let mut svg = String::new();
    let (backend, log) = TextCheck::new(plotters::prelude::SVGBackend::with_string(&mut svg, size));
    draw(&backend.into_drawing_area()).expect("the plot draws");
    let boxes = log.borrow().clone();
    text_problems(&boxes, size.0, size.1, scale)
}

mod tests {
    use super::*;

    fn text(t: &str, rect: [f64; 4]) -> TextBox {
        TextBox { text: t.into(), rect }
    }

    #[test]
    fn rotation_turns_the_box_about_the_anchor() {
        // 30 wide, 10 tall, anchored at its left end, middle: reaches 0 left, 30 right, 5 up, 5 down.
        let e = [0.0, 30.0, 5.0, 5.0];
        assert_eq!(rect((100, 50), e, FontTransform::None), [100.0, 45.0, 130.0, 55.0]);
        // Turned a quarter clockwise (y down): the text runs downwards from the anchor.
        assert_eq!(rect((100, 50), e, FontTransform::Rotate90), [95.0, 50.0, 105.0, 80.0]);
        // A quarter anticlockwise (a y-axis title): it runs upwards.
        assert_eq!(rect((100, 50), e, FontTransform::Rotate270), [95.0, 20.0, 105.0, 50.0]);
    }

    #[test]
    fn cut_and_overlapping_texts_are_named_and_touching_ones_are_not() {
        let texts = [
            text("rot 0.8", [-4.0, 10.0, 40.0, 20.0]),
            text("a", [50.0, 10.0, 60.0, 20.0]),
            text("b", [60.0, 10.0, 70.0, 20.0]),
            text("c", [65.0, 15.0, 75.0, 25.0]),
            text("1370.80", [180.0, 80.0, 230.0, 95.0]),
        ];
        let p = text_problems(&texts, 200, 100, 2.0);
        assert_eq!(
            p,
            vec![
                "\"rot 0.8\" is cut at the left edge by 2 px".to_string(),
                "\"1370.80\" is cut at the right edge by 15 px".to_string(),
                "\"b\" overlaps \"c\" (3 x 3 px)".to_string(),
            ]
        );
        assert!(text_problems(&texts[1..3], 200, 100, 1.0).is_empty());
    }
}
