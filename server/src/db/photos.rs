//! Photos of an opinion: metadata-free JPEGs, numbered from 1 within the opinion.

use diesel::prelude::*;
use vocabulary::model::OpinionId;

use super::schema::opinion_photos;
use super::{DbConnection, DbError};

/// A stored photo.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinion_photos)]
pub struct Photo {
    /// Random id.
    pub id: String,
    /// The opinion it belongs to.
    pub opinion_id: OpinionId,
    /// Its number within the opinion, from 1.
    pub seq: i32,
    /// Width in pixels.
    pub width: i32,
    /// Height in pixels.
    pub height: i32,
    /// The re-encoded JPEG.
    pub jpeg: Vec<u8>,
}

/// A photo's number and size, without its bytes.
#[derive(Clone, Copy, Debug, Queryable)]
pub struct PhotoSize {
    /// Its number within the opinion.
    pub seq: i32,
    /// Width in pixels.
    pub width: i32,
    /// Height in pixels.
    pub height: i32,
}

impl Photo {
    /// Stores one photo (one row at a time: the multi-backend connection has no batch insert).
    pub fn insert(conn: &mut DbConnection, photo: &Photo) -> Result<(), diesel::result::Error> {
        diesel::insert_into(opinion_photos::table)
            .values(photo)
            .execute(conn)
            .map(|_| ())
    }

    /// Numbers and sizes of an opinion's photos, in order.
    pub fn sizes(conn: &mut DbConnection, opinion_id: &str) -> Result<Vec<PhotoSize>, DbError> {
        Ok(opinion_photos::table
            .filter(opinion_photos::opinion_id.eq(opinion_id))
            .order(opinion_photos::seq.asc())
            .select((
                opinion_photos::seq,
                opinion_photos::width,
                opinion_photos::height,
            ))
            .load(conn)?)
    }

    /// The JPEG of photo `seq` of an opinion.
    pub fn jpeg(conn: &mut DbConnection, opinion_id: &str, seq: i32) -> Result<Vec<u8>, DbError> {
        Ok(opinion_photos::table
            .filter(opinion_photos::opinion_id.eq(opinion_id))
            .filter(opinion_photos::seq.eq(seq))
            .select(opinion_photos::jpeg)
            .first(conn)?)
    }
}
