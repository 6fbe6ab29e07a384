//! The canvas the plots draw on: plotters' canvas backend with two changes that keep a redraw
//! within a frame (the pixels are the same).
//! - Texts are measured by the canvas (`measureText`, remembered per font and text). Plotters'
//!   own measure in wasm adds a span to the page and reads its size: a layout of the whole page
//!   per text, 68 of them (12 ms) per redraw of the default page.
//! - Consecutive paths of one colour and width are stroked as one path: a dashed line is drawn
//!   by plotters as one path per dash, thousands for a dense trace.

use plotters::prelude::DrawingBackend;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

type Error = DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;

/// Text sizes measured so far, by CSS font and text; tick labels and series labels repeat from
/// one drawing to the next. Emptied when it grows past `MEASURED_MAX` entries.
const MEASURED_MAX: usize = 4096;
thread_local! {
    static MEASURED: RefCell<BTreeMap<String, (u32, u32)>> = const { RefCell::new(BTreeMap::new()) };
}

pub struct Canvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    /// The colour (red, green, blue, alpha) and width of the path begun and not yet stroked.
    open: Option<((u8, u8, u8), f64, u32)>,
}

impl Canvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas { inner: CanvasBackend::with_canvas_object(canvas)?, context, open: None })
    }

    /// Strokes the open path, if any: before anything else is drawn over it.
    fn stroke(&mut self) {
        if self.open.take().is_some() {
            self.context.stroke();
        }
    }
}

impl Drop for Canvas {
    fn drop(&mut self) {
        self.stroke();
    }
}

/// The CSS font of a text style, as plotters' canvas backend sets it to draw.
fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str())
}

impl DrawingBackend for Canvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error> {
        self.stroke();
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error> {
        self.stroke();
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), Error> {
        self.stroke();
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.stroke();
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    /// As plotters' canvas backend draws a path, but continuing the open path when the colour
    /// and width are the same (the strokes of an opaque colour cover the same pixels).
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let mut path = path.into_iter();
        let Some(start) = path.next() else { return Ok(()) };
        let key = (colour.rgb, colour.alpha, style.stroke_width());
        if self.open != Some(key) {
            self.stroke();
            let (r, g, b) = colour.rgb;
            self.context.set_stroke_style_str(&format!("rgba({r},{g},{b},{})", colour.alpha));
            self.context.set_line_width(f64::from(key.2));
            self.context.begin_path();
            self.open = Some(key);
        }
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for next in path {
            self.context.line_to(f64::from(next.0), f64::from(next.1));
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.stroke();
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error> {
        self.stroke();
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), Error> {
        self.stroke();
        self.inner.draw_text(text, style, pos)
    }

    /// The text's advance width (to the nearest pixel, as plotters' measure in the page's layout
    /// rounded it) and its font's height (ascent and descent, rounded up), as the canvas
    /// measures them.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), Error> {
        let font = css_font(style);
        let key = format!("{font}\n{text}");
        if let Some(size) = MEASURED.with(|m| m.borrow().get(&key).copied()) {
            return Ok(size);
        }
        self.context.set_font(&font);
        let m = self.context.measure_text(text).map_err(|e| DrawingErrorKind::FontError(format!("{e:?}").into()))?;
        let size =
            (m.width().round() as u32, (m.font_bounding_box_ascent() + m.font_bounding_box_descent()).ceil() as u32);
        MEASURED.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= MEASURED_MAX {
                m.clear();
            }
            m.insert(key, size);
        });
        Ok(size)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), Error> {
        self.stroke();
        self.inner.blit_bitmap(pos, size, src)
    }
}
