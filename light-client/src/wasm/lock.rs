//! A single-threaded async lock, so that JS calls and the subscription never
//! run two syncs on one client at once (the client is moved out for the
//! duration of an operation and put back after).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Default)]
pub(crate) struct AsyncLock {
    locked: Cell<bool>,
    waiters: RefCell<VecDeque<Waker>>,
}

pub(crate) struct Guard<'a>(&'a AsyncLock);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.locked.set(false);
        if let Some(w) = self.0.waiters.borrow_mut().pop_front() {
            w.wake();
        }
    }
}

struct Acquire<'a>(&'a AsyncLock);

impl<'a> Future for Acquire<'a> {
    type Output = Guard<'a>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Guard<'a>> {
        if self.0.locked.get() {
            self.0.waiters.borrow_mut().push_back(cx.waker().clone());
            Poll::Pending
        } else {
            self.0.locked.set(true);
            Poll::Ready(Guard(self.0))
        }
    }
}

impl AsyncLock {
    pub(crate) fn lock(&self) -> impl Future<Output = Guard<'_>> {
        Acquire(self)
    }
}
