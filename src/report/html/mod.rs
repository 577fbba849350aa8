//! `sla report`: the monthly service report as one self-contained HTML page
//! (styles and charts inline, nothing fetched), for the screen and for A4
//! paper. [`collect`] keeps what the page needs while the log streams by,
//! [`build`] turns a run's results into the [`page`] model, which the askama
//! template lays out with every value escaped; [`charts`] draws the SVG.

pub(crate) mod build;
pub(crate) mod charts;
pub(crate) mod collect;
pub(crate) mod page;

pub(crate) use build::{page, Inputs};
pub(crate) use collect::Collect;

/// The page as HTML text.
pub(crate) fn render(page: &page::Page) -> Result<String, askama::Error> {
    askama::Template::render(page)
}
