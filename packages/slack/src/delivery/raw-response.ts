/** What the response checks read of the headers: a fetch `Headers` or node:http's, behind one `get`. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** One HTTP answer as both posters return it, whatever its status. */
export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}
