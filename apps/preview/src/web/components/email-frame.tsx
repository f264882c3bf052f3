import { useEffect, useRef, useState } from 'react';

/** Height before the email has laid out, and the ceiling for a runaway one. */
const initialHeight = 600;
const maxHeight = 20_000;

/**
 * The email in a sandboxed iframe exactly `width` CSS px wide, as tall as its content: the page
 * scrolls, never the frame, as in a mail client's reading pane.
 */
export function EmailFrame({ html, width }: { html: string; width: number }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(initialHeight);

  // `allow-same-origin` lets this page read the frame's height. It is safe here because the sandbox
  // has no `allow-scripts`: the email runs no code, as in a mail client, so it cannot use that origin.
  // A ResizeObserver follows reflows (a width switch, images that load).
  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    let observer: ResizeObserver | undefined;
    const measure = () => {
      const doc = frame.contentDocument?.documentElement;
      // The html element's own height, not scrollHeight: that one never drops below the frame's
      // current height, so the frame could grow but never shrink back.
      if (doc) setHeight(Math.min(maxHeight, Math.max(Math.ceil(doc.getBoundingClientRect().height), 50)));
    };
    const attach = () => {
      observer?.disconnect();
      const doc = frame.contentDocument?.documentElement;
      if (!doc) return;
      observer = new ResizeObserver(measure);
      observer.observe(doc);
      if (frame.contentDocument?.body) observer.observe(frame.contentDocument.body);
      measure();
    };
    frame.addEventListener('load', attach);
    attach();
    return () => {
      frame.removeEventListener('load', attach);
      observer?.disconnect();
    };
  }, [html, width]);

  return (
    <iframe
      ref={ref}
      title="Email HTML"
      data-testid="email-frame"
      sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin"
      srcDoc={html}
      style={{ width, height }}
      scrolling="no"
    />
  );
}
